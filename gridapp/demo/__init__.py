"""The built-in demo campaign, modelled on the 南码头路街道 fee-adjustment week."""

from gridapp.demo.build import DemoOptions, build_demo

__all__ = ["DemoOptions", "build_demo"]
