// The page's main-thread tasks from a Chromium trace, on the page's own clock: what the restore
// rows of `npm run bench` measure (every task, where the longtask observer only sees those over 50 ms).

/** The trace categories that hold every task of the main thread and the page's user timing marks. */
export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];

/**
 * The main-thread tasks of the page that set the mark `bench-sync` at `syncTime` (its
 * `performance.now()`), as `{start, end}` in that clock, nested ones merged into the task around them.
 */
export function mainThreadTasks(trace, syncTime) {
  const {traceEvents} = JSON.parse(Buffer.from(trace).toString());
  const mark = traceEvents.find((event) => event.name === 'bench-sync');
  if (!mark) throw new Error('bench: the trace has no bench-sync mark, so its tasks cannot be placed on the page clock');
  const offset = mark.ts / 1000 - syncTime;
  const tasks = traceEvents
    .filter((event) => event.pid === mark.pid && event.tid === mark.tid && event.ph === 'X' && event.name === 'ThreadControllerImpl::RunTask')
    .map((event) => ({start: event.ts / 1000 - offset, end: (event.ts + event.dur) / 1000 - offset}))
    .sort((a, b) => a.start - b.start);
  const merged = [];
  for (const task of tasks) {
    const last = merged.at(-1);
    if (last && task.start < last.end) last.end = Math.max(last.end, task.end);
    else merged.push({...task});
  }
  return merged;
}

/** The longest task that ran (wholly or in part) between `from` and `to`. */
export function longestTask(tasks, from, to) {
  return Math.max(0, ...tasks.filter((task) => task.end > from && task.start < to).map((task) => task.end - task.start));
}

/** The main thread's busy time between `from` and `to`. */
export function busyTime(tasks, from, to) {
  return tasks.reduce((sum, task) => sum + Math.max(0, Math.min(task.end, to) - Math.max(task.start, from)), 0);
}

/** The median of `values`, leaving out those that are missing (`undefined`, `NaN`); `undefined` when none is left. */
export const median = (values) => {
  const present = values.filter((value) => value !== undefined && !Number.isNaN(value)).sort((a, b) => a - b);
  return present[Math.floor(present.length / 2)];
};

/** The median of each figure over runs of `{figure: number}`. */
export function medians(runs) {
  return Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((run) => run[key]))]));
}
