"""Admin screens for content editors beside Wagtail's own: the item statistics of a lesson's quizzes."""
