"""The coordinators' admin screens: their trainers (list, page, create, edit, deactivate,
invitation) and cohort enrolment. Business rules live in courses.people; these are thin views."""
