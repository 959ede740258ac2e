// The element's script time by the source file it was spent in: a V8 CPU profile of the page,
// its samples' self time mapped through the bundle's source map (node:module's SourceMap).
import {readFile} from 'node:fs/promises';
import {SourceMap} from 'node:module';

/** Starts sampling the page's JavaScript every 100 µs on `cdp`; resolves with how to stop it and read the profile. */
export async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', {interval: 100});
  await cdp.send('Profiler.start');
  return async () => (await cdp.send('Profiler.stop')).profile;
}

/**
 * The profile's self time (ms) by source: a file of `bundle` (its URL's path ends so) through
 * `mapFile`, named by its path from `src/` or its package; other scripts by URL; V8's own
 * entries ("(garbage collector)", "(program)") as they are. Sorted, longest first; idle time left out.
 */
export async function selfTimeBySource(profile, {bundle, mapFile}) {
  const map = new SourceMap(JSON.parse(await readFile(mapFile, 'utf8')));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const bySource = {};
  profile.samples.forEach((id, i) => {
    const {url, functionName, lineNumber, columnNumber} = nodes.get(id).callFrame;
    let source = url ? new URL(url).pathname : functionName || '(anonymous)';
    if (source.endsWith(bundle)) source = shortName(map.findEntry(lineNumber, columnNumber)?.originalSource ?? bundle);
    if (source !== '(idle)') bySource[source] = (bySource[source] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return Object.entries(bySource).sort((a, b) => b[1] - a[1]);
}

/** `src/markdown/inline.ts` for our files, the package's name (`lit-html`, `eventsource-parser`) for a dependency's. */
function shortName(source) {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (dependency) return dependency[1];
  const ours = /(src\/.*)$/.exec(source);
  return ours ? ours[1] : source;
}
