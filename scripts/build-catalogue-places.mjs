#!/usr/bin/env node
// Builds packages/db/src/seed/catalogue/places.json:
//  - every ISO 3166-1 country (code = alpha-3; alpha-2 and numeric from i18n-iso-countries;
//    names in the six UN languages from Unicode CLDR through Node's Intl.DisplayNames);
//  - the pilot cities of the ESCWA/UN-Habitat inter-regional NUA project (seed 003) and
//    Los Angeles (source of the real Open SDG demonstration data), from the table below.
//
//   node scripts/build-catalogue-places.mjs           write places.json
//   node scripts/build-catalogue-places.mjs --check   exit 1 if places.json differs
//
// Country names depend on the CLDR version of the Node.js ICU that runs this script;
// the version used is recorded in the file's source block.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
const countriesVersion = require('i18n-iso-countries/package.json').version;

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const outFile = join(repo, 'packages', 'db', 'src', 'seed', 'catalogue', 'places.json');
const check = process.argv.includes('--check');

/** Marsad language code → BCP 47 locale for Intl.DisplayNames. */
const LANGS = { ar: 'ar', en: 'en', fr: 'fr', es: 'es', ru: 'ru', zh: 'zh-Hans' };

/** User-assigned codes that i18n-iso-countries lists but ISO 3166-1 does not. */
const NOT_ISO = new Set(['XK']);

/** Countries of the project of seed 003 (the Philippines: no city named). */
const PILOT_COUNTRIES = new Set(['MA', 'JO', 'EC', 'KZ', 'PH', 'KH', 'CU', 'CR', 'LS']);

/**
 * Names where the United Nations uses another name than CLDR's display name
 * (CLDR says "Palestinian Territories"; the UN says "State of Palestine").
 * Typed by the Marsad team from UN terminology: reviewNeeded.
 */
const NAME_OVERRIDES = {
  PS: {
    ar: 'دولة فلسطين',
    en: 'State of Palestine',
    fr: 'État de Palestine',
    es: 'Estado de Palestina',
    ru: 'Государство Палестина',
    zh: '巴勒斯坦国',
  },
};

/**
 * Regions and cities. Names typed by the Marsad team: Arabic as written in seed 003
 * or in Arabic media (altNames keeps the other spelling), the other languages the
 * usual exonyms. Coordinates: city centre, decimal degrees (WGS 84).
 * UN/LOCODEs: unlocodeChecked:false where the code could not be confirmed.
 */
const SUBNATIONAL = [
  {
    code: 'MA-09',
    level: 'region',
    parent: 'MAR',
    names: {
      ar: 'جهة سوس ماسة',
      en: 'Souss-Massa',
      fr: 'Souss-Massa',
      es: 'Sus-Masa',
      ru: 'Сус-Масса',
      zh: '苏斯-马塞',
    },
    lat: null,
    lon: null,
    codes: { iso3166_2: 'MA-09' },
    pilot: false,
    reviewNeeded: true,
    note: 'Region of Agadir; partner of the project in seed 003 (جهة سوس ماسة).',
  },
  {
    code: 'MAAGA',
    level: 'city',
    parent: 'MA-09',
    names: { ar: 'أكادير', en: 'Agadir', fr: 'Agadir', es: 'Agadir', ru: 'Агадир', zh: '阿加迪尔' },
    altNames: { ar: ['اكادير'] },
    lat: 30.4278,
    lon: -9.5981,
    codes: { unlocode: 'MA AGA' },
    pilot: true,
  },
  {
    code: 'JOAMM',
    level: 'city',
    parent: 'JOR',
    names: { ar: 'عمّان', en: 'Amman', fr: 'Amman', es: 'Amán', ru: 'Амман', zh: '安曼' },
    altNames: { ar: ['عمان'] },
    lat: 31.9539,
    lon: 35.9106,
    codes: { unlocode: 'JO AMM' },
    pilot: true,
  },
  {
    code: 'ECUIO',
    level: 'city',
    parent: 'ECU',
    names: { ar: 'كيتو', en: 'Quito', fr: 'Quito', es: 'Quito', ru: 'Кито', zh: '基多' },
    lat: -0.1807,
    lon: -78.4678,
    codes: { unlocode: 'EC UIO' },
    pilot: true,
  },
  {
    code: 'KZALA',
    level: 'city',
    parent: 'KAZ',
    names: { ar: 'ألماتي', en: 'Almaty', fr: 'Almaty', es: 'Almaty', ru: 'Алматы', zh: '阿拉木图' },
    altNames: { ar: ['الماتي'] },
    lat: 43.2389,
    lon: 76.8897,
    codes: { unlocode: 'KZ ALA' },
    pilot: true,
  },
  {
    code: 'KHBBM',
    level: 'city',
    parent: 'KHM',
    names: {
      ar: 'باتامبانج',
      en: 'Battambang',
      fr: 'Battambang',
      es: 'Battambang',
      ru: 'Баттамбанг',
      zh: '马德望',
    },
    altNames: { ar: ['باتامبانغ'] },
    lat: 13.0957,
    lon: 103.2022,
    codes: { unlocode: 'KH BBM' },
    unlocodeChecked: false,
    pilot: true,
    reviewNeeded: true,
  },
  {
    code: 'CUHAV',
    level: 'city',
    parent: 'CUB',
    names: { ar: 'هافانا', en: 'Havana', fr: 'La Havane', es: 'La Habana', ru: 'Гавана', zh: '哈瓦那' },
    lat: 23.1136,
    lon: -82.3666,
    codes: { unlocode: 'CU HAV' },
    pilot: true,
  },
  {
    code: 'CRSJO',
    level: 'city',
    parent: 'CRI',
    names: { ar: 'سان خوسيه', en: 'San José', fr: 'San José', es: 'San José', ru: 'Сан-Хосе', zh: '圣何塞' },
    lat: 9.9281,
    lon: -84.0907,
    codes: { unlocode: 'CR SJO' },
    pilot: true,
  },
  {
    code: 'LSMSU',
    level: 'city',
    parent: 'LSO',
    names: { ar: 'ماسيرو', en: 'Maseru', fr: 'Maseru', es: 'Maseru', ru: 'Масеру', zh: '马塞卢' },
    lat: -29.3151,
    lon: 27.4869,
    codes: { unlocode: 'LS MSU' },
    unlocodeChecked: false,
    pilot: true,
  },
  {
    code: 'USLAX',
    level: 'city',
    parent: 'USA',
    names: {
      ar: 'لوس أنجلوس',
      en: 'Los Angeles',
      fr: 'Los Angeles',
      es: 'Los Ángeles',
      ru: 'Лос-Анджелес',
      zh: '洛杉矶',
    },
    lat: 34.0522,
    lon: -118.2437,
    codes: { unlocode: 'US LAX' },
    pilot: false,
    note: 'Not a pilot city: source of the real Open SDG demonstration data (CityOfLosAngeles/open-sdg-data-starter).',
  },
];

function build() {
  const display = Object.fromEntries(
    Object.entries(LANGS).map(([l, loc]) => [l, new Intl.DisplayNames([loc], { type: 'region', fallback: 'none' })]),
  );
  const alpha2 = Object.keys(countries.getAlpha2Codes()).filter((a2) => !NOT_ISO.has(a2));
  const list = alpha2.map((a2) => {
    const a3 = countries.alpha2ToAlpha3(a2);
    const numeric = countries.alpha2ToNumeric(a2);
    if (!a3 || !numeric) throw new Error(`${a2}: no alpha-3 or numeric code`);
    const override = NAME_OVERRIDES[a2];
    const names = {};
    for (const l of Object.keys(LANGS)) {
      const name = override?.[l] ?? display[l].of(a2);
      if (!name) throw new Error(`${a2}: no ${l} name in CLDR`);
      names[l] = name;
    }
    const place = {
      code: a3,
      level: 'country',
      parent: null,
      names,
      lat: null,
      lon: null,
      codes: { iso3166_alpha2: a2, iso3166_numeric: String(numeric).padStart(3, '0') },
      pilot: PILOT_COUNTRIES.has(a2),
    };
    if (override) {
      place.reviewNeeded = true;
      place.note = 'Name of the United Nations, not the CLDR display name.';
    }
    return place;
  });
  list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const codes = new Set(list.map((p) => p.code));
  for (const p of SUBNATIONAL) {
    if (codes.has(p.code)) throw new Error(`duplicate place code ${p.code}`);
    if (!codes.has(p.parent)) throw new Error(`${p.code}: unknown parent ${p.parent}`);
    codes.add(p.code);
    list.push(p);
  }
  return {
    source: {
      name: 'ISO 3166-1 country codes and Unicode CLDR country names',
      countryCodes: `i18n-iso-countries ${countriesVersion} (MIT licence), https://github.com/michaelwittig/node-i18n-iso-countries`,
      countryNames: `Unicode CLDR ${process.versions.cldr ?? '?'} via Node.js Intl.DisplayNames (Unicode licence), https://cldr.unicode.org`,
      cities:
        'Pilot cities of seed 003 (ESCWA 2021, inter-regional NUA project) and Los Angeles; names, coordinates and UN/LOCODEs typed by the Marsad team (see reviewNeeded and unlocodeChecked).',
      note: 'CLDR display names are not the official UN country names; country coordinates are not given (null).',
      generatedBy: 'scripts/build-catalogue-places.mjs',
    },
    places: list,
  };
}

/**
 * JSON with 2-space indentation in which any value that fits on one line of at most
 * 100 characters (small objects, arrays of codes) is written on one line.
 */
function toJson(value) {
  const entries = (o) => Object.entries(o).filter(([, x]) => x !== undefined);
  const inline = (x) => {
    if (x === null || typeof x !== 'object') return JSON.stringify(x);
    if (Array.isArray(x)) return `[${x.map(inline).join(', ')}]`;
    const e = entries(x);
    return e.length ? `{ ${e.map(([k, y]) => `${JSON.stringify(k)}: ${inline(y)}`).join(', ')} }` : '{}';
  };
  const block = (x, indent) => {
    const one = inline(x);
    if (x === null || typeof x !== 'object' || indent.length + one.length <= 100) return one;
    const next = `${indent}  `;
    if (Array.isArray(x)) return `[\n${x.map((y) => next + block(y, next)).join(',\n')}\n${indent}]`;
    return `{\n${entries(x)
      .map(([k, y]) => `${next}${JSON.stringify(k)}: ${block(y, next)}`)
      .join(',\n')}\n${indent}}`;
  };
  return `${block(value, '')}\n`;
}

const json = toJson(build());
if (check) {
  if (!existsSync(outFile) || readFileSync(outFile, 'utf8') !== json) {
    console.error(`out of date, run node scripts/build-catalogue-places.mjs: ${outFile}`);
    process.exit(1);
  }
  console.log('places.json is up to date');
} else {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, json);
  const d = JSON.parse(json);
  const by = {};
  for (const p of d.places) by[p.level] = (by[p.level] ?? 0) + 1;
  console.log(`wrote ${outFile}: ${JSON.stringify(by)}`);
}
