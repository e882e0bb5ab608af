import { describe, expect, it } from 'vitest';
import { actionsFrom, type ClaimState, DEFAULT_CLAIM_LEVELS, parseClaimLevels, slaState, step } from './claims.domain.js';

const claim = (over: Partial<ClaimState> = {}): ClaimState => ({ status: 'investigating', claimedMinor: 10_000, currency: 'CNY', acceptedMinor: null, filedBy: 'u1', ...over });

describe('claims lifecycle', () => {
  it('offers the steps each status allows', () => {
    expect(actionsFrom('filed')).toEqual(['investigate', 'withdraw']);
    expect(actionsFrom('investigating')).toEqual(['accept', 'partly_accept', 'reject', 'withdraw']);
    expect(actionsFrom('partly_accepted')).toEqual(['credit']);
    expect(actionsFrom('rejected')).toEqual(['close']);
    expect(actionsFrom('closed')).toEqual([]);
  });

  it('accepts the whole amount and rejects with nothing accepted, each only with a reason', () => {
    expect(step(claim(), { action: 'accept', actorId: 'u2', reason: 'photos show it' })).toEqual({ ok: true, to: 'accepted', acceptedMinor: 10_000 });
    expect(step(claim(), { action: 'reject', actorId: 'u2', reason: 'signed clean' })).toEqual({ ok: true, to: 'rejected', acceptedMinor: 0 });
    expect(step(claim(), { action: 'reject', actorId: 'u2', reason: ' ' })).toMatchObject({ ok: false, status: 400, field: 'reason' });
  });

  it('partly accepts only an amount between zero and the amount claimed', () => {
    expect(step(claim(), { action: 'partly_accept', actorId: 'u2', reason: 'r', acceptedMinor: 9_999 })).toEqual({ ok: true, to: 'partly_accepted', acceptedMinor: 9_999 });
    for (const a of [null, 0, 10_000, 10_001, 1.5]) expect(step(claim(), { action: 'partly_accept', actorId: 'u2', reason: 'r', acceptedMinor: a }), String(a)).toMatchObject({ ok: false, status: 400, field: 'acceptedMinor' });
  });

  it('issues a credit note only for the accepted amount in the claim\'s currency', () => {
    const accepted = claim({ status: 'partly_accepted', acceptedMinor: 4_000 });
    const note = { number: 'CN-1', amountMinor: 4_000, currency: 'CNY', issueDate: '2026-11-27' };
    expect(step(accepted, { action: 'credit', actorId: 'u2', creditNote: note })).toEqual({ ok: true, to: 'credited', acceptedMinor: 4_000 });
    expect(step(accepted, { action: 'credit', actorId: 'u2', creditNote: { ...note, amountMinor: 10_000 } })).toMatchObject({ ok: false, status: 400, field: 'amountMinor' });
    expect(step(accepted, { action: 'credit', actorId: 'u2', creditNote: { ...note, currency: 'USD' } })).toMatchObject({ ok: false, status: 400, field: 'currency' });
    expect(step(claim({ status: 'rejected', acceptedMinor: 0 }), { action: 'credit', actorId: 'u2', creditNote: note })).toMatchObject({ ok: false, status: 409 });
  });

  it('refuses a step from the wrong status with 409, saying what the claim is', () => {
    expect(step(claim({ status: 'filed' }), { action: 'accept', actorId: 'u2', reason: 'r' })).toEqual({
      ok: false, status: 409, message: 'Only a claim under investigation can be decided; start the investigation first (this claim is filed)',
    });
  });

  it('lets only the filer withdraw, and only while the claim is open', () => {
    expect(step(claim({ status: 'filed' }), { action: 'withdraw', actorId: 'u1' })).toMatchObject({ ok: true, to: 'withdrawn' });
    expect(step(claim({ status: 'filed' }), { action: 'withdraw', actorId: 'u2' })).toMatchObject({ ok: false, status: 403 });
    expect(step(claim({ status: 'accepted', acceptedMinor: 10_000 }), { action: 'withdraw', actorId: 'u1' })).toMatchObject({ ok: false, status: 409 });
  });
});

describe('claim service levels', () => {
  it('is met when done by the due instant, breached when done later or not done by then, else running', () => {
    const due = '2026-11-27T03:00:00.000Z';
    expect(slaState(due, '2026-11-27T03:00:00.000Z', '2026-12-01T00:00:00.000Z')).toBe('met');
    expect(slaState(due, '2026-11-27T03:00:01.000Z', '2026-11-27T03:00:01.000Z')).toBe('breached');
    expect(slaState(due, null, '2026-11-27T02:59:59.000Z')).toBe('running');
    expect(slaState(due, null, '2026-11-27T03:00:01.000Z')).toBe('breached');
  });
});

describe('claim service levels from the settings', () => {
  it('keeps the defaults when the setting is empty, and changes only the kinds it names', () => {
    expect(parseClaimLevels('')).toEqual(DEFAULT_CLAIM_LEVELS);
    const levels = parseClaimLevels('damage=2h/16h, late = 90m/1.5h');
    expect(levels.damage).toEqual({ responseMinutes: 120, decisionMinutes: 960 });
    expect(levels.late).toEqual({ responseMinutes: 90, decisionMinutes: 90 });
    expect(levels.shortage).toEqual(DEFAULT_CLAIM_LEVELS.shortage);
  });

  it('refuses an unknown kind, a duration without its unit and a decision due before the response, naming the part', () => {
    expect(() => parseClaimLevels('broken=4h/24h')).toThrow('"broken" in "broken=4h/24h" is not a claim kind (late, damage, shortage)');
    expect(() => parseClaimLevels('damage=4/24h')).toThrow('"damage=4/24h": durations are working hours or minutes');
    expect(() => parseClaimLevels('damage=24h/4h')).toThrow('the decision cannot be due before the response');
    expect(() => parseClaimLevels('damage:4h')).toThrow('is not kind=response/decision');
  });
});
