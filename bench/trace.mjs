// Where a run's main-thread time goes, from a Chromium trace of the devtools.timeline categories:
// each event's self time (its duration less its children's) on the page's main thread, summed by kind.
import {TRACE_CATEGORIES} from './main-thread.mjs';

/** The categories to trace: every task and the timeline's events inside them, GC included (the disabled-by-default ones cost the element more). */
export const TIMELINE_CATEGORIES = [...TRACE_CATEGORIES, 'devtools.timeline'];

const KINDS = {
  script: /^(FunctionCall|EvaluateScript|TimerFire|EventDispatch|FireAnimationFrame|FireIdleCallback|RunMicrotasks|BlinkScheduler_PerformMicrotaskCheckpoint|v8\.|V8\.|ResizeObserver|XHR|ParseHTML|TimerInstall|TimerRemove|RequestAnimationFrame|CancelAnimationFrame)/,
  style: /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Document::updateStyle|StyleRecalc)/,
  layout: /^(Layout|UpdateLayout|InvalidateLayout|LocalFrameView::layout|IntersectionObserver)/,
  'paint, commit': /^(PrePaint|Paint|Layerize|Commit|UpdateLayer|CompositeLayers|RasterTask|Decode|ScrollLayer|BeginMainFrame|Animation)/,
  GC: /(GC|Gc|Sweep|Marking|Scavenge|cppgc|BlinkGC)/,
  'network reads': /^(SimpleWatcher::OnHandleReady|Receive mojo message|ResourceReceive|ResourceFinish|ResourceSendRequest)/,
};
export const KIND_NAMES = [...Object.keys(KINDS), 'other'];

const kindOf = (name) => {
  // GC first: its events (V8.GC_*) would otherwise read as script.
  if (KINDS.GC.test(name)) return 'GC';
  return Object.keys(KINDS).find((kind) => KINDS[kind].test(name)) ?? 'other';
};

/**
 * The main-thread time of the page that set the mark `bench-sync` at `syncTime`, between `from`
 * and `to` on that page's clock, by kind (ms), with the tasks in that span: all of them, those
 * that ran a timer and those that dispatched a message event (the core's time slices yield
 * through either), and how long each group took.
 */
export function timelineBreakdown(trace, syncTime, from, to) {
  const {traceEvents} = JSON.parse(Buffer.from(trace).toString());
  const mark = traceEvents.find((event) => event.name === 'bench-sync');
  if (!mark) throw new Error('bench: the trace has no bench-sync mark, so its events cannot be placed on the page clock');
  const offset = mark.ts / 1000 - syncTime;
  const [start, end] = [(from + offset) * 1000, (to + offset) * 1000];
  const events = completeEvents(traceEvents.filter((event) => event.pid === mark.pid && event.tid === mark.tid))
    .filter((event) => event.ts >= start && event.ts + event.dur <= end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const byKind = Object.fromEntries(KIND_NAMES.map((kind) => [kind, 0]));
  const tasks = {all: 0, allMs: 0, timer: 0, timerMs: 0, message: 0, messageMs: 0};
  const stack = [];
  let task = null;
  for (const event of events) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= event.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.self -= Math.min(event.dur, parent.ts + parent.dur - event.ts);
    event.self = event.dur;
    stack.push(event);
    if (!parent && event.name === 'ThreadControllerImpl::RunTask') {
      task = event;
      task.ran = new Set();
      tasks.all++;
      tasks.allMs += event.dur / 1000;
    } else if (!parent) task = null;
    else if (event.name === 'TimerFire') task?.ran.add('timer');
    else if (event.name === 'EventDispatch' && event.args?.data?.type === 'message') task?.ran.add('message');
  }
  for (const event of events) {
    byKind[kindOf(event.name)] += event.self / 1000;
    if (event.ran) for (const kind of event.ran) (tasks[kind]++, (tasks[`${kind}Ms`] += event.dur / 1000));
  }
  return {byKind, tasks};
}

/** The trace's slices as complete events `{name, ts, dur, args}`: its `X` events, and its `B`/`E` pairs joined. */
function completeEvents(events) {
  const complete = [];
  const open = [];
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X' && event.dur !== undefined) complete.push({name: event.name, ts: event.ts, dur: event.dur, args: event.args});
    else if (event.ph === 'B') open.push(event);
    else if (event.ph === 'E') {
      const begin = open.pop();
      if (begin) complete.push({name: begin.name, ts: begin.ts, dur: event.ts - begin.ts, args: begin.args});
    }
  }
  return complete;
}
