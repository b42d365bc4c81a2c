import { buildWithL2, buildWithLibrary, scenario } from './topology';
const [variant, nText, sc] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const app = variant === 'library' ? buildWithLibrary(Number(nText), scenario(sc)) : buildWithL2(Number(nText), scenario(sc));
const t1 = process.hrtime.bigint();
app.synth();
const t2 = process.hrtime.bigint();
console.log(variant, 'build', Number(t1 - t0) / 1e6 | 0, 'synth', Number(t2 - t1) / 1e6 | 0);
