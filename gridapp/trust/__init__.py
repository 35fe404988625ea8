"""Who may open this laptop's data: accounts (worker code + PIN), roles, the database
key wrapped for each account. Qt-free; argon2 and libsodium load on first use."""
