// Building the page's elements. Text from a recording (SIP URIs, transcripts) is set as text, never parsed as HTML.

/** A new element with optional text and class names. */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** Shows the one view `id` and hides the others. */
export function showView(id) {
  for (const view of document.querySelectorAll('main > section')) view.hidden = view.id !== id;
}
