export {
  DEFAULT_LANG,
  LANGS,
  langFromLocale,
  parseLang,
  resolveLang,
  UnknownLangError,
  type Lang,
} from './lang.js';
export {
  catalogue,
  format,
  messages,
  placeholders,
  type Catalogue,
  type MessageKey,
  type Messages,
} from './messages.js';
export { displayWidth, padEndWidth, padStartWidth, truncateWidth } from './width.js';
