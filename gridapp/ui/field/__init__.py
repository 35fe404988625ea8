"""A grid worker's day: today's work, the visit form and its questionnaire, online
answers, the field menu."""
