import {fill, type ChatStrings} from './strings.js';

/** The largest file the element takes unless `max-file-size` says otherwise: 10 MiB. @internal */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
/** How many files one message may carry unless `max-files` says otherwise. @internal */
export const DEFAULT_MAX_FILES = 10;

/**
 * Whether `accept` takes `file`, as `<input accept>` reads it: comma-separated `.ext` (the
 * name's ending), `type/*` and exact MIME types, `*\/*` for any file; letter case does not count.
 *
 * @internal
 */
export function accepts(accept: string, file: {name: string; type: string}): boolean {
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accept.split(',').some((token) => {
    const wanted = token.trim().toLowerCase();
    if (wanted.startsWith('.')) return wanted.length > 1 && name.endsWith(wanted);
    if (wanted === '*/*') return true;
    if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
    return wanted !== '' && type === wanted;
  });
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A size in bytes as a reader reads it, in `locale` (`10 MB`, `1.5 kB`, `512 bytes`): steps of 1024. @internal */
export function fileSize(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  for (; value >= 1024 && unit < UNITS.length - 1; unit++) value /= 1024;
  // "512 byte" is how English shortens bytes: they are spelled out.
  const unitDisplay = unit === 0 ? 'long' : 'short';
  return new Intl.NumberFormat(locale, {style: 'unit', unit: UNITS[unit], unitDisplay, maximumFractionDigits: unit > 0 && value < 10 ? 1 : 0}).format(value);
}

/** A limit of the element's own (`maxFileSize`, `maxFiles`): a whole number above 0; anything else is named in the console and leaves `fallback`. @internal */
export function limitSetting(property: string, value: unknown, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  console.error(`chat-stream: \`${property}\` must be a whole number above 0 (got ${String(value)}); its default (${fallback}) applies`);
  return fallback;
}

/** What the element takes of the files a reader gave it. @internal */
export interface FileRules {
  accept: string;
  maxFileSize: number;
  maxFiles: number;
  /** How many files already wait to be sent. */
  waiting: number;
}

/**
 * Sorts the files a reader chose, pasted or dropped into those taken and, for the others, the
 * reader's sentences: one per file of a wrong type or too large, one for those beyond `maxFiles`.
 *
 * @internal
 */
export function screenFiles(files: readonly File[], rules: FileRules, strings: ChatStrings, locale: string): {taken: File[]; refusals: string[]} {
  const taken: File[] = [];
  const refusals: string[] = [];
  let beyond = false;
  for (const file of files) {
    const {name} = file;
    if (!accepts(rules.accept, file)) refusals.push(fill(strings.wrongType, {name}));
    else if (file.size > rules.maxFileSize) refusals.push(fill(strings.tooLarge, {name, limit: fileSize(rules.maxFileSize, locale)}));
    else if (rules.waiting + taken.length >= rules.maxFiles) beyond = true;
    else taken.push(file);
  }
  if (beyond) refusals.push(fill(strings.tooMany, {count: rules.maxFiles}, locale));
  return {taken, refusals};
}
