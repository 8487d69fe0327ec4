// Languages agencies name, with their ISO 639-1 code (ISO 639-3 where there is no 639-1 code,
// as HSDS allows) and the other spellings found in exports (abbreviations, misspellings). A
// name that says too little to pick a code ("Chinese" is `zh`, but "Creole" or "Sign language"
// could be several) is not here; it is kept by the parser with no code.

interface LanguageName {
  name: string;
  code: string;
  aliases?: readonly string[];
}

const LANGUAGES: readonly LanguageName[] = [
  { name: 'English', code: 'en', aliases: ['eng', 'engl', 'american english'] },
  { name: 'Spanish', code: 'es', aliases: ['span', 'spa', 'espanol', 'español', 'castellano'] },
  { name: 'American Sign Language', code: 'ase', aliases: ['asl', 'american sign', 'ameslan'] },
  { name: 'Chinese', code: 'zh', aliases: ['chin'] },
  {
    name: 'Cantonese',
    code: 'yue',
    aliases: ['cant', 'cantoniese', 'cantonese chinese', 'chinese-cantonese'],
  },
  {
    name: 'Mandarin',
    code: 'cmn',
    aliases: ['manderine', 'mandarine', 'chinese-mandarin', 'mandarin chinese'],
  },
  { name: 'Taiwanese', code: 'nan', aliases: ['taiwanese hokkien'] },
  { name: 'Hokkien', code: 'nan', aliases: ['fukienese', 'fujianese', 'fujinese', 'fukien'] },
  { name: 'Shanghainese', code: 'wuu', aliases: ['shanghai'] },
  { name: 'Vietnamese', code: 'vi', aliases: ['viet', 'vietnnamese'] },
  { name: 'Tagalog', code: 'tl', aliases: ['taglog', 'tagolog'] },
  { name: 'Filipino', code: 'fil' },
  { name: 'Ilocano', code: 'ilo', aliases: ['ilokano', 'iloko'] },
  { name: 'Cebuano', code: 'ceb' },
  { name: 'Korean', code: 'ko' },
  { name: 'Japanese', code: 'ja' },
  { name: 'Thai', code: 'th' },
  { name: 'Lao', code: 'lo', aliases: ['laotian'] },
  { name: 'Khmer', code: 'km', aliases: ['cambodian', 'cambodia'] },
  { name: 'Hmong', code: 'hmn' },
  { name: 'Burmese', code: 'my' },
  { name: 'Mongolian', code: 'mn' },
  { name: 'Indonesian', code: 'id' },
  { name: 'Javanese', code: 'jv' },
  { name: 'Malay', code: 'ms' },
  { name: 'Hindi', code: 'hi', aliases: ['hindu'] },
  { name: 'Urdu', code: 'ur' },
  { name: 'Punjabi', code: 'pa', aliases: ['panjabi'] },
  { name: 'Bengali', code: 'bn', aliases: ['bangla'] },
  { name: 'Gujarati', code: 'gu', aliases: ['gujrati'] },
  { name: 'Tamil', code: 'ta' },
  { name: 'Telugu', code: 'te' },
  { name: 'Kannada', code: 'kn' },
  { name: 'Malayalam', code: 'ml' },
  { name: 'Marathi', code: 'mr' },
  { name: 'Nepali', code: 'ne' },
  { name: 'Assamese', code: 'as' },
  { name: 'Sinhala', code: 'si', aliases: ['sinhalese'] },
  { name: 'Tibetan', code: 'bo' },
  { name: 'Farsi', code: 'fa', aliases: ['persian'] },
  { name: 'Dari', code: 'prs' },
  { name: 'Pashto', code: 'ps', aliases: ['pashtu', 'pushto'] },
  { name: 'Arabic', code: 'ar', aliases: ['arab'] },
  { name: 'Hebrew', code: 'he' },
  { name: 'Turkish', code: 'tr' },
  { name: 'Armenian', code: 'hy' },
  { name: 'Georgian', code: 'ka' },
  { name: 'Kurdish', code: 'ku' },
  { name: 'Amharic', code: 'am', aliases: ['amharie', 'amarigna'] },
  { name: 'Tigrinya', code: 'ti', aliases: ['tigrigna', 'tigrina', 'tigrinyan', 'tegrinyan'] },
  { name: 'Oromo', code: 'om', aliases: ['oromiffa', 'afaan oromo'] },
  { name: 'Somali', code: 'so' },
  { name: 'Swahili', code: 'sw', aliases: ['kiswahili'] },
  { name: 'Yoruba', code: 'yo' },
  { name: 'Igbo', code: 'ig', aliases: ['ibo'] },
  { name: 'Efik', code: 'efi' },
  { name: 'Mende', code: 'men' },
  { name: 'Temne', code: 'tem' },
  { name: 'Kru', code: 'kro' },
  { name: 'Twi', code: 'tw' },
  { name: 'Wolof', code: 'wo' },
  { name: 'French', code: 'fr', aliases: ['francais', 'français'] },
  { name: 'Haitian Creole', code: 'ht', aliases: ['kreyol', 'kreyòl', 'haitian'] },
  {
    name: 'Portuguese',
    code: 'pt',
    aliases: ['portugese', 'portugues', 'português', 'brazilian portuguese'],
  },
  { name: 'Italian', code: 'it', aliases: ['itallian'] },
  { name: 'German', code: 'de' },
  { name: 'Dutch', code: 'nl' },
  { name: 'Swedish', code: 'sv' },
  { name: 'Norwegian', code: 'no' },
  { name: 'Danish', code: 'da' },
  { name: 'Finnish', code: 'fi' },
  { name: 'Greek', code: 'el' },
  { name: 'Russian', code: 'ru' },
  { name: 'Ukrainian', code: 'uk' },
  { name: 'Polish', code: 'pl' },
  { name: 'Czech', code: 'cs' },
  { name: 'Slovak', code: 'sk' },
  { name: 'Hungarian', code: 'hu' },
  { name: 'Romanian', code: 'ro' },
  { name: 'Bulgarian', code: 'bg' },
  { name: 'Serbian', code: 'sr' },
  { name: 'Croatian', code: 'hr' },
  { name: 'Bosnian', code: 'bs' },
  { name: 'Serbo-Croatian', code: 'sh', aliases: ['serbo croatian'] },
  { name: 'Albanian', code: 'sq' },
  { name: 'Yiddish', code: 'yi' },
  { name: 'Uzbek', code: 'uz' },
  { name: 'Samoan', code: 'sm' },
  { name: 'Tongan', code: 'to' },
  { name: 'Palauan', code: 'pau' },
  { name: 'Navajo', code: 'nv' },
  { name: 'Latin', code: 'la' },
];

const BY_NAME = new Map<string, { name: string; code: string }>();
for (const { name, code, aliases = [] } of LANGUAGES) {
  for (const n of [name, ...aliases]) BY_NAME.set(n.toLowerCase(), { name, code });
}

/** Every name and alias, longest first: for finding them in free text. */
export const LANGUAGE_NAMES: readonly string[] = [...BY_NAME.keys()].sort(
  (a, b) => b.length - a.length,
);

/** The canonical name and ISO 639 code of a language name or alias, in any case. */
export function languageByName(name: string): { name: string; code: string } | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}
