import { BITMAP_FONT } from './bitmap-font.js';
import { encodePng } from './encode-png.js';

const SCALE = 4;
const GLYPH_WIDTH = 5 * SCALE;
const GLYPH_HEIGHT = 7 * SCALE;
const ADVANCE = GLYPH_WIDTH + 8;
const MARGIN = 10;
const HEIGHT = GLYPH_HEIGHT + 2 * MARGIN + 8;

export const CAPTCHA_ALPHABET = Object.keys(BITMAP_FONT).join('');

const LOWER_CASE = CAPTCHA_ALPHABET.replace(/[^a-z]/g, '');
const UPPER_CASE = CAPTCHA_ALPHABET.replace(/[^A-Z]/g, '');

function pick(alphabet: string, random: () => number): string {
  return alphabet[Math.floor(random() * alphabet.length)] ?? alphabet[0] ?? '';
}

/** Always one lower-case and one capital letter, so a reading that loses the case is always wrong. */
export function randomCaptchaText(random: () => number): string {
  const length = 5 + Math.floor(random() * 2);
  const chars = Array.from({ length: length - 2 }, () => pick(CAPTCHA_ALPHABET, random));
  chars.splice(Math.floor(random() * chars.length), 0, pick(LOWER_CASE, random));
  chars.splice(Math.floor(random() * chars.length), 0, pick(UPPER_CASE, random));
  return chars.join('');
}

/** A PNG of `text` in the bitmap font, each character shifted a little, on a speckled background. */
export function renderCaptcha(text: string, random: () => number): Buffer {
  const width = 2 * MARGIN + text.length * ADVANCE;
  const pixels = new Uint8Array(width * HEIGHT);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = 215 + Math.floor(random() * 40);
  const ink = (x: number, y: number, shade: number) => {
    if (x >= 0 && x < width && y >= 0 && y < HEIGHT) pixels[y * width + x] = shade;
  };
  [...text].forEach((char, index) => {
    const rows = BITMAP_FONT[char]?.split('/') ?? [];
    const left = MARGIN + index * ADVANCE + Math.floor(random() * 4);
    const top = MARGIN + Math.floor(random() * 8);
    rows.forEach((row, gy) => {
      [...row].forEach((cell, gx) => {
        if (cell !== '#') return;
        for (let dy = 0; dy < SCALE; dy += 1) {
          for (let dx = 0; dx < SCALE; dx += 1)
            ink(left + gx * SCALE + dx, top + gy * SCALE + dy, 30 + Math.floor(random() * 60));
        }
      });
    });
  });
  for (let line = 0; line < 2; line += 1) {
    let y = MARGIN + random() * GLYPH_HEIGHT;
    const slope = (random() - 0.5) * 0.3;
    for (let x = 0; x < width; x += 1, y += slope) ink(x, Math.round(y), 90);
  }
  for (let dot = 0; dot < (width * HEIGHT) / 40; dot += 1) {
    ink(Math.floor(random() * width), Math.floor(random() * HEIGHT), Math.floor(random() * 120));
  }
  return encodePng(width, HEIGHT, pixels);
}
