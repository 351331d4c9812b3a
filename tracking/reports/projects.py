"""Projects & tasks: time per project, then per task (closed and deleted-upstream ones too), then
per person; time without a task is one “No task” group at the end."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from companies.preferences import current_duration_formatter

from ..models import Project, Task
from .charts import Chart, build_chart
from .filters import NO_TASK, ReportFilters
from .id_lists import OneOf
from .tallies import Time, sum_times, tally
from .visibility import Person, people_by_id


class Figures(NamedTuple):
    """A line's time as the page writes it, in the viewer's unit (see `add_page_texts`)."""

    tracked: str
    manual: str
    total: str


@dataclass
class PersonLine:
    person: Person
    time: Time
    query: str = ""  # the entries behind the figure, as a query string (see `add_page_texts`)
    figures: Figures | None = None

    @property
    def name(self):
        return self.person.name


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """What the report shows of a task (plain values: a busy report has thousands of tasks)."""

    pk: int
    code: object
    title: str
    url: str
    state: str
    is_open: bool
    is_deleted_upstream: bool


@dataclass
class TaskLine:
    task: TaskInfo | None  # None: time without a task
    time: Time = field(default_factory=Time)
    people: list = field(default_factory=list)
    query: str = ""
    figures: Figures | None = None


@dataclass
class ProjectLine:
    project: Project | None  # None: the “No task” group
    time: Time = field(default_factory=Time)
    tasks: list = field(default_factory=list)
    query: str = ""
    figures: Figures | None = None


@dataclass
class ProjectsReport:
    filters: ReportFilters
    projects: list
    total: Time
    chart: Chart = None


def build_projects_report(membership, filters, *, with_chart=True, people_in_sight=None):
    """Time per project, then per task (closed and deleted-upstream ones too), then per person.
    Time without a task is one “No task” group at the end. `people_in_sight`: as in `build_timesheet`."""
    amounts = tally(membership, filters, ("project", "task", "person"))
    company = membership.company_id
    projects = Project.objects.for_company(company).in_bulk({key[0] for key in amounts if key[0] is not None})
    task_ids = list({key[1] for key in amounts if key[1] is not None})
    tasks = _task_infos(company, task_ids) if task_ids else {}
    people = people_by_id(membership, {key[2] for key in amounts}, among=people_in_sight)
    grouped = defaultdict(lambda: defaultdict(list))
    for (project_id, task_id, person_id), time_ in amounts.items():
        grouped[project_id][task_id].append(PersonLine(people[person_id], time_))
    lines = []
    for project_id, by_task in grouped.items():
        line = ProjectLine(project=projects.get(project_id))
        for task_id, person_lines in by_task.items():
            person_lines.sort(key=lambda item: (item.name.lower(), item.person.pk))
            task_line = TaskLine(
                task=tasks.get(task_id), time=sum_times(item.time for item in person_lines), people=person_lines
            )
            line.tasks.append(task_line)
            line.time += task_line.time
        line.tasks.sort(key=lambda item: (item.task.title.lower(), item.task.pk) if item.task else ("", 0))
        lines.append(line)
    lines.sort(
        key=lambda item: (
            item.project is None,
            item.project.name.lower() if item.project else "",
            item.project.pk if item.project else 0,
        )
    )
    report = ProjectsReport(filters=filters, projects=lines, total=sum_times(line.time for line in lines))
    if with_chart:
        report.chart = build_chart(membership, filters, people=people, projects=projects)
    return report


def _task_infos(company, task_ids):
    return {
        row[0]: TaskInfo(*row)
        for row in Task.objects.for_company(company)
        .filter(OneOf("pk", task_ids))
        .order_by()  # a dict: not Task's default order, which joins the projects and sorts thousands of rows
        .values_list("pk", "code", "title", "url", "state", "is_open", "is_deleted_upstream")
    }


def add_page_texts(report):
    """What the page writes on each line: its figures in the viewer's unit, and the query string of
    the entries behind them (the filters narrowed to the project, the task, the person; “No task”
    narrows to time without a task). Prepared here, once, for the thousands of lines of a week."""
    query = report.filters.narrowing()
    write = current_duration_formatter()

    def figures(time_):
        return Figures(write(time_.tracked), write(time_.manual), write(time_.total))

    for line in report.projects:
        project = line.project
        narrowed = {"projects": [project.pk]} if project else {"task": NO_TASK}
        line.query, line.figures = query(**narrowed), figures(line.time)
        for task_line in line.tasks:
            if project is not None:
                narrowed["task"] = task_line.task.code
                task_line.query, task_line.figures = query(**narrowed), figures(task_line.time)
            of_person = query.varying("people", **narrowed)
            for person_line in task_line.people:
                person_line.query, person_line.figures = of_person([person_line.person.code]), figures(person_line.time)
