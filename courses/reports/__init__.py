"""Coordinator reports: numbers per service point, per course and over time, drawn as server-side
SVG charts and exported to CSV and XLSX. Every number is read through `selectors`, which filter by
the coordinator's scope (`courses.people.scope`) and run a fixed number of queries."""
