import {html, nothing, type TemplateResult} from 'lit';
import type {ChatAttachment} from './core/index.js';
import {fileSize} from './attachment-rules.js';
import type {AttachmentChip, AttachmentTray} from './attachment-tray.js';
import {fill, type ChatStrings} from './strings.js';

// Drawn with strokes in a 24-unit box, as the message actions' icons are.
const ATTACH_ICON = 'M20 11.5 12.2 19.3a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8';
const FILE_ICON = 'M14 3H6v18h12V7zm0 0v4h4';
const REMOVE_ICON = 'M6 6l12 12M18 6 6 18';

const icon = (path: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg>`;

/**
 * The composer's files: the chips of those waiting to be sent, what was said of files just
 * refused, and (with `accept`) the Attach button with its hidden file chooser.
 *
 * @internal
 */
export function trayTemplate(tray: AttachmentTray, accept: string, strings: ChatStrings, locale: string): TemplateResult {
  return html`
    ${tray.chips.length > 0
      ? html`<ul part="attachments" aria-label=${strings.attachments} @click=${tray.onClick}>${tray.chips.map((chip) => chipTemplate(chip, strings, locale))}</ul>`
      : nothing}
    <p part="attachment-error" ?hidden=${!tray.refusal}>${tray.refusal}</p>
    ${tray.enabled
      ? html`<input type="file" multiple accept=${accept} hidden tabindex="-1" @change=${tray.onChoose} />
          <button part="attach-button" type="button" aria-label=${strings.attach} title=${strings.attach} @click=${tray.onAttach}>${icon(ATTACH_ICON)}</button>`
      : nothing}
  `;
}

function chipTemplate(chip: AttachmentChip, strings: ChatStrings, locale: string): TemplateResult {
  const {name, size} = chip.file;
  return html`<li part="attachment" data-attachment=${chip.id} data-state=${chip.state}>
    ${chip.preview ? html`<img class="thumbnail" src=${chip.preview} alt="" />` : icon(FILE_ICON)}
    ${fileLabel(name, size, locale)}
    ${chip.state === 'uploading'
      ? html`<progress max="1" value=${chip.progress ?? nothing} aria-label=${fill(strings.uploading, {name})}></progress>`
      : chip.state === 'failed'
        ? html`<span class="failure">${fill(strings.attachmentFailed, {name, error: chip.error ?? ''})}</span>`
        : nothing}
    <button part="attachment-remove-button" type="button" data-remove=${chip.id} aria-label=${fill(strings.removeAttachment, {name})} title=${fill(strings.removeAttachment, {name})}>
      ${icon(REMOVE_ICON)}
    </button>
  </li>`;
}

/** A file's name (cut to fit, whole in its title) over its size. */
function fileLabel(name: string, size: number, locale: string, note: TemplateResult | typeof nothing = nothing): TemplateResult {
  return html`<span class="file"><span class="name" title=${name}>${name}</span> <span class="size">${fileSize(size, locale)}</span>${note}</span>`;
}

/**
 * The files sent with a message, in its bubble: an image with its URL as a thumbnail named by
 * the file's name; any other file as an icon, its name and size, and "not kept" when the
 * conversation was stored without its contents.
 *
 * @internal
 */
export function messageAttachments(attachments: readonly ChatAttachment[] | undefined, strings: ChatStrings, locale: string): TemplateResult | typeof nothing {
  if (!attachments?.length) return nothing;
  return html`<ul class="message-attachments" aria-label=${strings.attachments}>
    ${attachments.map(({name, type, size, url}) =>
      url && type.startsWith('image/')
        ? html`<li part="message-attachment" class="image"><img src=${url} alt=${name} title=${name} loading="lazy" width="128" height="128" /></li>`
        : html`<li part="message-attachment">
            ${icon(FILE_ICON)}
            ${fileLabel(name, size, locale, url ? nothing : html`<span class="not-kept">${strings.notKept}</span>`)}
          </li>`,
    )}
  </ul>`;
}
