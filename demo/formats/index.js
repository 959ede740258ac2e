// The wire formats the embedded model answers in, one route each; `name` is what the element's
// `format` attribute calls it.
import {sendJson} from '../http.js';
import {aiSdk} from './ai-sdk.js';
import {anthropic} from './anthropic.js';
import {ollama} from './ollama.js';
import {openai} from './openai.js';
import {openaiResponses} from './openai-responses.js';

export const FORMATS = [openai, openaiResponses, anthropic, ollama, aiSdk];

/** The format a path serves, or undefined. */
export const formatAt = (pathname) => FORMATS.find((format) => format.path === pathname);

/** The picker's list: name, label, endpoint and description of each format `include` keeps. */
export function formatList(include = () => true) {
  return FORMATS.filter(include).map(({name, label, path, description}) => ({name, label, endpoint: path, description}));
}

/** Sends an HTTP error in the body shape of `format`, so that its own clients can read it. */
export function sendFormatError(res, format, status, message, type = 'invalid_request_error', code = null) {
  sendJson(res, status, format.errorBody(status, message, type, code));
}
