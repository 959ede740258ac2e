import type {Answer} from '../answer.js';
import {isRecord, reportedError} from '../errors.js';
import {readJsonEvent, type ChatFormat, type FormatStep} from '../format.js';

/**
 * OpenAI's Responses API, as https://platform.openai.com/docs/api-reference/responses-streaming
 * describes its events: `response.created`, `response.output_text.delta`,
 * `response.reasoning_summary_text.delta`, function calls as `response.output_item.added`
 * items and `response.function_call_arguments.delta`, and the end: `response.completed`,
 * `response.incomplete` (with its reason) or `response.failed`; an `error` event fails the
 * stream. There is no `[DONE]`. A non-streamed reply is one `response` object.
 *
 * @internal
 */
export const openaiResponses: ChatFormat = {
  name: 'openai-responses',
  body: 'json',
  read: (event, answer) => readJsonEvent(event, answer, readEvent),
};

function readEvent(data: Record<string, unknown>, answer: Answer): FormatStep {
  const type = typeof data.type === 'string' ? data.type : data.object === 'response' ? 'response' : '';
  const response = isRecord(data.response) ? data.response : data;
  switch (type) {
    case 'response.created':
    case 'response.in_progress':
      answer.began = true;
      answer.identify(response.id);
      return null;
    case 'response.output_text.delta':
    case 'response.refusal.delta':
      answer.add(string(data.delta));
      return null;
    case 'response.reasoning_summary_text.delta':
    case 'response.reasoning_text.delta':
      answer.add('', string(data.delta));
      return null;
    case 'response.output_item.added':
      if (isRecord(data.item) && data.item.type === 'function_call') readCall(data.item, answer);
      return null;
    case 'response.function_call_arguments.delta':
      answer.toolCalls.add(data.item_id, {argumentsDelta: string(data.delta)});
      return null;
    case 'response.completed':
    case 'response.incomplete':
    case 'response':
      return end(response, answer);
    case 'response.failed':
      return reportedError('stream', response, 'The response failed');
    case 'error':
      return reportedError('stream', data, 'The stream reported an error');
    default:
      return null;
  }
}

/** The response's end: its usage, and its status (or, when incomplete, why) as the finish reason. */
function end(response: Record<string, unknown>, answer: Answer): FormatStep {
  answer.began = true;
  answer.identify(response.id);
  answer.count(response.usage);
  // A non-streamed reply carries its output whole.
  if (Array.isArray(response.output) && answer.text === '' && answer.toolCalls.size === 0) {
    for (const item of response.output) {
      if (!isRecord(item)) continue;
      if (item.type === 'function_call') readCall(item, answer);
      else if (item.type === 'message' && Array.isArray(item.content)) {
        for (const part of item.content) if (isRecord(part)) answer.add(string(part.text ?? part.refusal));
      }
    }
  }
  const incomplete = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
  answer.finish(incomplete ?? response.status ?? 'completed');
  if (response.status === 'failed') return reportedError('stream', response, 'The response failed');
  return 'end';
}

function readCall(item: Record<string, unknown>, answer: Answer): void {
  const args = string(item.arguments);
  answer.toolCalls.add(item.id ?? item.call_id, {id: item.call_id ?? item.id, name: item.name, argumentsDelta: args === '' ? undefined : args});
}

function string(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
