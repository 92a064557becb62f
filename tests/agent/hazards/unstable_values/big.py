"""A job runner whose import stamps values that differ at every import: the run's id, the pid,
a sentinel object's repr. Verification must not take them for differences the split made."""

import os
import uuid

RUN_ID = uuid.uuid4().hex
STARTED_BY = os.getpid()
_MISSING = object()
MISSING_REPR = repr(_MISSING)
RETRIES = 3


class Job:
    """A named unit of work with a retry budget."""

    def __init__(self, name, retries=RETRIES):
        self.name = name
        self.retries = retries
        self.log = []

    def run(self, action):
        for attempt in range(self.retries):
            self.log.append(attempt)
            if action(attempt):
                return True
        return False


class Queue:
    """Jobs in the order they were added."""

    def __init__(self):
        self.jobs = []

    def add(self, job):
        self.jobs.append(job)
        return job

    def names(self):
        return [job.name for job in self.jobs]


def run_all(queue, action):
    return {job.name: job.run(action) for job in queue.jobs}


def tag(name):
    return "%s@%s" % (name, RUN_ID[:8])


def lookup(mapping, key, default=_MISSING):
    value = mapping.get(key, default)
    if value is _MISSING:
        raise KeyError(key)
    return value
