// The tools the demo server runs itself, for the AI SDK route, whose tools run where the model
// does (`streamText` with `tools`). The server cannot read the page's clock: its time tool says
// the server's own.
import {calculate} from './calculate.js';

const SERVER_TOOLS = {
  server_time: () => ({time: new Date().toLocaleTimeString('en-GB'), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone}),
  calculate: ({expression}) => calculate(expression),
};

/** Runs the server's tool `name` on `input`: `{output}`, or `{error}` with the message of what failed. */
export function runServerTool(name, input) {
  if (!Object.hasOwn(SERVER_TOOLS, name)) return {error: `There is no server tool "${name}"`};
  try {
    return {output: SERVER_TOOLS[name](input ?? {})};
  } catch (error) {
    return {error: error.message};
  }
}
