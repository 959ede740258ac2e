import {noChange, nothing} from 'lit';
import {Directive, directive, PartType, type ElementPart, type PartInfo} from 'lit/directive.js';

/** Calls back with the element it is on each time its template renders: a container (a message's text, its reasoning) to bind a view to. */
class RenderedDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new TypeError('chat-stream: rendered() belongs on an element');
  }

  render(_callback: (element: HTMLElement) => void) {
    return nothing;
  }

  override update(part: ElementPart, [callback]: [(element: HTMLElement) => void]) {
    callback(part.element as HTMLElement);
    return noChange;
  }
}

/** `${rendered(callback)}` on an element calls `callback` with it each time its template renders. @internal */
export const rendered = directive(RenderedDirective);
