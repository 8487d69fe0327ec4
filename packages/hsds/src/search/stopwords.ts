// Words that carry no need in a directory query ("help with food near me", "ayuda para
// comida cerca de mí"). They are dropped when the query has other terms: matched as terms
// they would demand that a record say "help" or "near".

const ENGLISH =
  'a an the and or for of in on at to with by from near me my i we im need needs needed want looking look find finding where get getting can is are any some help please who that this';
const SPANISH =
  'un una unos unas el la los las lo de del al en y o u para por con sin cerca mi mis me yo necesito necesita busco buscar donde ayuda hay que quien';

export const STOPWORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${SPANISH}`.split(' '));
