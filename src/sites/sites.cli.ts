import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from '../cli/context.js';
import { AppError, ValidationError } from '../errors.js';
import { parse } from '../validation/validate.js';
import { parseSitesCsv } from './sites.import.js';
import { changeOriginsSchema } from './sites.schema.js';
import type { ImportStep } from './sites.service.js';
import type { SiteHoldings } from './sites.store.js';

const usage = (m: string) => new UsageError(m);

/** A refusal with every field's problem spelled out (the API's generic "The request is not valid." says too little here). */
function explained(e: unknown): unknown {
  if (!(e instanceof ValidationError)) return e;
  return new AppError(400, e.code, [e.message, ...e.errors.map((i) => `  ${i.field}: ${i.message}`)].join('\n'));
}

const holdingsText = (h: SiteHoldings) =>
  `${h.polls} poll(s) with ${h.ballots} ballot(s), ${h.surveys} survey(s) with ${h.surveyResponses} response(s), ${h.comments} comment(s), ${h.pages} counted page(s), ` +
  `${h.moderatorKeys} moderator key(s) scoped to it, ${h.webhooks} webhook(s)`;

const stepText = (s: ImportStep) => {
  if (s.action !== 'update') return `line ${s.line}: ${s.action} ${s.id}`;
  const show = (v: unknown) => (Array.isArray(v) ? v.join(' ') || '(none)' : String(v));
  const changes = Object.entries(s.changes!).map(([k, v]) => `${k} ${show(v.from)} → ${show(v.to)}`);
  return `line ${s.line}: update ${s.id}: ${changes.join('; ')}`;
};

/**
 *   sites list
 *   sites origins add|remove SITE ORIGIN…
 *   sites delete SITE --confirm SITE
 *   sites import FILE.csv [--dry-run] [--update]
 * Changes are recorded in the audit log as "cli"; a running service sees them within a second.
 */
export const sitesCommands: Record<string, Command> = {
    'sites list': async ({ services, out }, args) => {
      if (args.length) throw usage('sites list takes no arguments');
      const sites = await services.sites.list();
      if (!sites.length) out('No sites yet.');
      for (const s of sites) out([s.id.padEnd(20), s.timezone.padEnd(18), s.name, `  origins: ${s.origins.join(' ') || '(none)'}`].join('  '));
    },
    'sites origins': async ({ services, out }, args) => {
      const [verb, site, ...origins] = args;
      if ((verb !== 'add' && verb !== 'remove') || !site || !origins.length)
        throw usage('sites origins add|remove SITE ORIGIN… (e.g. sites origins add xa-tien-ky https://tienky.quangnam.gov.vn)');
      try {
        const input = parse(changeOriginsSchema, verb === 'add' ? { add: origins } : { remove: origins });
        const { site: after, added, removed } = await services.sites.changeOrigins(site, input, CLI);
        const done = verb === 'add' ? added : removed;
        const skipped = origins.filter((o) => !done.includes(o));
        out(
          `Site ${site}: ${done.length ? `${verb === 'add' ? 'added' : 'removed'} ${done.join(' ')}` : 'nothing changed'}` +
            `${skipped.length ? `; ${verb === 'add' ? 'already listed' : 'not listed'}: ${skipped.join(' ')}` : ''}.`,
        );
        out(`Origins now: ${after.origins.join(' ') || '(none)'}`);
      } catch (e) {
        throw explained(e);
      }
    },
    'sites delete': async ({ services, out }, args) => {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { confirm: { type: 'string' } } });
      const site = positionals[0];
      if (!site || positionals.length > 1) throw usage('sites delete needs one site id: sites delete SITE --confirm SITE');
      const sites = services.sites;
      if (values.confirm !== site) {
        const h = await sites.holdings(site);
        throw usage(`site ${site} holds ${holdingsText(h)}. To delete it with all of that, run: sites delete ${site} --confirm ${site}`);
      }
      const { removed } = await sites.remove(site, values.confirm, CLI);
      out(`Deleted site ${site} and ${holdingsText(removed)}. Its audit log entries are kept.`);
    },
    'sites import': async ({ services, out }, args) => {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, update: { type: 'boolean' } } });
      const file = positionals[0];
      if (!file || positionals.length > 1) throw usage('sites import needs one CSV file: sites import FILE.csv [--dry-run] [--update]');
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch (e) {
        throw usage(`cannot read ${file}: ${(e as Error).message}`);
      }
      const dryRun = values['dry-run'] ?? false;
      let steps: ImportStep[];
      try {
        steps = await services.sites.importSites(parseSitesCsv(data), { update: values.update ?? false, dryRun }, CLI);
      } catch (e) {
        throw explained(e);
      }
      for (const s of steps) out(stepText(s));
      const n = (a: ImportStep['action']) => steps.filter((s) => s.action === a).length;
      out(
        dryRun
          ? `Dry run: would create ${n('create')}, update ${n('update')}, leave ${n('unchanged')} unchanged. Nothing was written.`
          : `Imported ${file}: created ${n('create')}, updated ${n('update')}, unchanged ${n('unchanged')}.`,
      );
    },
  };
