/**
 * Opening a list of messages at one of them (a search result): scrolls it to the middle of
 * its scrolling pane and gives it focus, so that a screen reader reads it too. Messages' list
 * items carry `data-message-id` (ui/MessageItem.tsx).
 */
export function jumpToMessage(scroller: HTMLElement | null, messageId: string): boolean {
  const item = scroller?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!scroller || !item) return false;
  const pane = scroller.getBoundingClientRect();
  const box = item.getBoundingClientRect();
  scroller.scrollTop += box.top - pane.top - Math.max(8, (pane.height - box.height) / 2);
  item.focus({ preventScroll: true });
  return true;
}
