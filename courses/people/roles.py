"""The roles of the LMS as Django groups. The names are stored in the database (migration 0002
creates the groups), so they stay in English; the admin shows them as they are."""

TRAINERS_GROUP = "Trainers"
EDITORS_GROUP = "Content editors"
COORDINATORS_GROUP = "Coordinators"
MODERATORS_GROUP = "Moderators"
