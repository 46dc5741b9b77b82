"""The one task the queue carries: "run job N". The job row, not the task, holds state, progress and result."""

from django_tasks import task

from . import runner


@task()
def execute(job_id: int) -> str:
    job = runner.run(job_id)
    return job.state if job is not None else "skipped"
