"""The demo: data of a complete, realistic site (the TOT course, facilitator guides, 92 service points,
one account per role), the artwork drawn for it and the seeder that loads it.

    pages.py, course.py, guides.py   the pages' content (course.py writes blocks with blocks.py)
    media.py, artwork.py             the images and handouts, and the code that draws them
    service_points.py, accounts.py   the service-point network and the demo accounts
    seed.py                          demo_seed(): loads all of it, idempotently

`manage.py seed_demo` (and so `make run`) calls demo_seed; no other code of the site imports this
package.
"""
