"""Reports: who may see whose time, date ranges, the aggregates behind every report, charts and CSV.

One module per job:

- `visibility`: the entries and people a viewer may see (the rule itself is companies/visibility.py);
- `periods`: date ranges of whole local days, presets, local midnights, cutting entries at them;
- `filters`: what a report covers (range, people, projects, task) and its query string;
- `tallies`: time added up per person, project, task and local day, in SQL;
- `charts`: the geometry of the stacked bar charts (drawn by templates);
- `timesheet`, `projects`, `entries`, `week`: the report each page shows (the dashboard's week too);
- `csv`: the rows of each export and their streaming, safe against spreadsheet formulas.

Pages show hours in the viewer's unit (decimal, 2.50, or hours and minutes, 2:30; see
companies/preferences.py), rounded half up from the exact durations (a total is the rounded exact
sum, not the sum of rounded cells). The CSV files always carry decimal hours, whoever exports them: a
spreadsheet sums 2.50 but reads 2:30 as a time of day, and a file handed to payroll must not depend
on who downloaded it. Their times are in the company's zone (the one the days are cut in), which
the Started and Ended headers name.

Each project and person has one colour on every chart (tracking/services/colors.py).
"""
