"""People and the service-point network: who trainers and coordinators are, where they work, and
which trainers a coordinator may see.

- `models`: ServicePoint, TrainerProfile, CoordinatorProfile (Django models of the `courses` app,
  registered through `courses.models`, so that moving them here needed no migration);
- `roles`: the names of the user groups, read by the seed, the permission checks and the tests;
- `names`: the rule for a person's name as printed on a certificate;
- `scope`: THE coordinator scope rule, used by every coordinator list, report, export and action.
- `phones`: the rule for an Indonesian phone number (`phone_normalise`);
- `services` / `selectors`: trainers' accounts created, changed, deactivated and invited, cohorts
  enrolled; the trainers a coordinator sees (`trainers_in_scope`, `trainer_profiles_in_scope`);
- `invitations` and `views`: the one-time link with which a trainer sets the first password.
"""
