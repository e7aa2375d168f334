"""The demo accounts, one per role; the password is settings.DEMO_PASSWORD or the documented default."""

DEFAULT_DEMO_PASSWORD = "prakerja-demo-2026"  # noqa: S105 - documented demo password, not a secret
ACCOUNTS = [
    {
        "username": "pelatih",
        "email": "pelatih@example.org",
        "first_name": "Siti",
        "last_name": "Rahmawati",
        "role": "trainer",
        "full_name": "Siti Rahmawati",
        "phone": "6281200000001",
        "service_point": "SP001",
    },
    {
        "username": "editor",
        "email": "editor@example.org",
        "first_name": "Dimas",
        "last_name": "Prasetyo",
        "role": "editor",
    },
    {
        "username": "koordinator",
        "email": "koordinator@example.org",
        "first_name": "Ratna",
        "last_name": "Wulandari",
        "role": "coordinator",
        "service_points": ["SP001", "SP002", "SP035", "SP036", "SP067"],
    },
    {
        "username": "admin",
        "email": "admin@example.org",
        "first_name": "Admin",
        "last_name": "TOT",
        "role": "admin",
    },
]
