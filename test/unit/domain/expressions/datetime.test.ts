/**
 * `#datetime` beyond PingOne's examples: invalid inputs, leap years and month ends as java.time
 * computes them, the DateTimeFormatter subset (printing, strict parsing, SMART resolving), zones
 * as ZoneId.of reads them, and the bounds on patterns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluationError, ExpressionSyntaxError, EXPRESSION_LIMITS } from '../../../../src/domain/expressions/index.js';
import { parseExpression } from '../../../../src/domain/expressions/parser.js';
import { run } from './support.js';

describe('#datetime.toDateTime, toDate, toTime', () => {
  it('LocalDateTime.of ranges: null for a field out of range or a day the month lacks', () => {
    assert.equal(run('#datetime.toDateTime(2020, 2, 29, 0, 0, 0)'), '2020-02-29T00:00:00.000Z');
    assert.equal(run('#datetime.toDateTime(2021, 2, 29, 0, 0, 0)'), null);
    assert.equal(run('#datetime.toDateTime(1900, 2, 29, 0, 0, 0)'), null);
    assert.equal(run('#datetime.toDateTime(2000, 2, 29, 23, 59, 59)'), '2000-02-29T23:59:59.000Z');
    assert.equal(run('#datetime.toDateTime(2021, 13, 1, 0, 0, 0)'), null);
    assert.equal(run('#datetime.toDateTime(2021, 4, 31, 0, 0, 0)'), null);
    assert.equal(run('#datetime.toDateTime(2021, 1, 1, 24, 0, 0)'), null);
    assert.equal(run('#datetime.toDateTime(2021, 1, 1, 0, 60, 0)'), null);
    assert.equal(run('#datetime.toDateTime(0099, 1, 1, 0, 0, 0)'), '0099-01-01T00:00:00.000Z');
    assert.throws(() => run('#datetime.toDateTime(2021, 1.5, 1, 0, 0, 0)'), EvaluationError);
  });
  it('toDate and toTime convert to UTC; toTime writes milliseconds only when not zero', () => {
    assert.equal(run("#datetime.toDate('2021-02-28T23:30:00-01:00')"), '2021-03-01Z');
    assert.equal(run("#datetime.toTime('2021-02-28T23:30:00-01:00')"), '00:30:00Z');
    assert.equal(run("#datetime.toTime('2021-01-31T23:59:59.12Z')"), '23:59:59.120Z');
    assert.equal(run("#datetime.toDate('2021-02-29')"), null);
    assert.equal(run("#datetime.toTime(' ')"), null);
  });
});

describe('#datetime.compare', () => {
  it('ChronoZonedDateTime.compareTo on the instants: seconds as -1/1, then the nanosecond difference', () => {
    assert.equal(run("#datetime.compare('2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z')"), -1);
    assert.equal(run("#datetime.compare('2021-01-01T00:00:00.250Z', '2021-01-01T00:00:00.100Z')"), 150_000_000);
    assert.equal(run("#datetime.compare('2021-01-01T01:00:00+01:00', '2021-01-01T00:00:00Z')"), 0);
  });
  it('an input that is not a date is null, and null comes first', () => {
    assert.equal(run("#datetime.compare('nope', '2021-01-01T00:00:00Z')"), -1);
    assert.equal(run("#datetime.compare('2021-01-01T00:00:00Z', null)"), 1);
    assert.equal(run("#datetime.compare('', '2021-02-30')"), 0);
  });
});

describe('#datetime differences between the UTC dates (ChronoUnit and Period between LocalDates)', () => {
  it('the third argument when either input is not a date, whatever its type', () => {
    assert.equal(run("#datetime.daysBetween('2021-02-30', '2021-03-01Z', -1)"), -1);
    assert.equal(run("#datetime.weeksBetween(null, '2021-03-01Z', 'n/a')"), 'n/a');
    assert.equal(run("#datetime.monthsBetween('2021-03-01Z', ' ', null)"), null);
    assert.equal(run("#datetime.yearsBetween('2021-03-01Z', 20210301, 0)"), 0);
    assert.equal(run("#datetime.periodBetween('2021-01-01Z', 'tomorrow', 'unknown')"), 'unknown');
  });
  it('leap years', () => {
    assert.equal(run("#datetime.daysBetween('2020-02-28Z', '2020-03-01Z', -1)"), 2);
    assert.equal(run("#datetime.daysBetween('2021-02-28Z', '2021-03-01Z', -1)"), 1);
    assert.equal(run("#datetime.yearsBetween('2020-02-29Z', '2021-02-28Z', -1)"), 0);
    assert.equal(run("#datetime.yearsBetween('2020-02-29Z', '2024-02-29Z', -1)"), 4);
    assert.equal(run("#datetime.periodBetween('2020-02-29Z', '2021-02-28Z', -1)"), 'P11M30D');
    assert.equal(run("#datetime.periodBetween('2020-02-29Z', '2021-03-01Z', -1)"), 'P1Y1D');
  });
  it('month ends: whole months only, the remaining days after removing them', () => {
    assert.equal(run("#datetime.monthsBetween('2021-01-31Z', '2021-02-28Z', -1)"), 0);
    assert.equal(run("#datetime.monthsBetween('2021-01-31Z', '2021-03-01Z', -1)"), 1);
    assert.equal(run("#datetime.monthsBetween('2021-03-31Z', '2021-02-28Z', -1)"), -1);
    assert.equal(run("#datetime.periodBetween('2021-01-31Z', '2021-03-01Z', -1)"), 'P1M1D');
    assert.equal(run("#datetime.periodBetween('2021-03-01Z', '2021-01-31Z', -1)"), 'P-1M-1D');
    assert.equal(run("#datetime.periodBetween('2019-05-15Z', '2021-05-14Z', -1)"), 'P1Y11M29D');
  });
  it('weeks are whole weeks toward zero; dates are UTC dates', () => {
    assert.equal(run("#datetime.weeksBetween('2021-01-01Z', '2021-01-14Z', -1)"), 1);
    assert.equal(run("#datetime.weeksBetween('2021-01-14Z', '2021-01-01Z', -1)"), -1);
    assert.equal(run("#datetime.daysBetween('2021-01-01T23:30:00-01:00', '2021-01-02Z', -1)"), 0);
  });
});

describe('#datetime.format: the DateTimeFormatter subset, in UTC', () => {
  const at = (pattern: string, date = '2021-02-28T13:05:09.042Z') => run(`#datetime.format('${date}', '${pattern.replace(/'/g, "''")}')`);
  it('numbers and texts by letter count', () => {
    assert.equal(at('y yy yyy yyyy u uuuu M MM MMM MMMM MMMMM d dd D DDD'), '2021 21 2021 2021 2021 2021 2 02 Feb February F 28 28 59 059');
    assert.equal(at('E EEEE EEEEE a h hh K k H HH m mm s ss S SSS SSSSSS'), 'Sun Sunday S PM 1 01 1 13 13 13 5 05 9 09 0 042 042000');
    assert.equal(at('Q QQ QQQ QQQQ QQQQQ q'), '1 01 Q1 1st quarter 1 1');
    assert.equal(at('QQQQ', '2021-11-02Z'), '4th quarter');
  });
  it('clock hours at midnight and noon', () => {
    assert.equal(at('h K k H a', '2021-02-28T00:10:00Z'), '12 0 24 0 AM');
    assert.equal(at('h K k H a', '2021-02-28T12:10:00Z'), '12 0 12 12 PM');
  });
  it('the week-based year of Locale.US (weeks from Sunday, week 1 holds 1 January)', () => {
    assert.equal(at('YYYY', '2021-01-01Z'), '2021');
    assert.equal(at('YYYY', '2020-12-26Z'), '2020');
    assert.equal(at('YYYY', '2020-12-27Z'), '2021');
    assert.equal(at('YYYY YY', '2024-12-29Z'), '2025 25');
  });
  it('offsets and zone of UTC', () => {
    assert.equal(at('X XX XXX x xxx Z ZZZZ ZZZZZ z VV'), 'Z Z Z +00 +00:00 +0000 GMT Z Z Z');
  });
  it('quotes, optional sections and literal characters', () => {
    assert.equal(run(`#datetime.format('2021-02-28Z', "yyyy-MM-dd'T'HH:mm[:ss] 'o''clock' ''")`), "2021-02-28T00:00:00 o'clock '");
  });
  it('null for a pattern Java refuses or a null pattern', () => {
    for (const pattern of ['yyyy-MM-dd bb', 'ddd', 'yyyy]', "'open", 'MMMMMM', 'hhh', 'V', '{y}', 'y'.repeat(20)]) assert.equal(at(pattern), null, pattern);
    assert.equal(run("#datetime.format('2021-02-28Z', null)"), null);
    assert.equal(at('y'.repeat(19)), '0'.repeat(15) + '2021');
  });
  it('a literal pattern with a letter Keyway lacks is refused when written; computed, it fails when run', () => {
    for (const letter of ['G', 'w', 'W', 'e', 'F', 'n', 'O']) {
      assert.throws(() => parseExpression(`#datetime.format('2021-02-28Z', 'yyyy ${letter}')`), ExpressionSyntaxError, letter);
    }
    assert.throws(() => run("#datetime.format('2021-02-28Z', user.p)", { user: { p: 'ww' } }), EvaluationError);
  });
});

describe('#datetime.parse: strict DateTimeFormatter parsing, SMART resolving', () => {
  const parse = (text: string, pattern: string, options = 'null') => run(`#datetime.parse('${text}', "${pattern}", ${options})`);
  it('adjacent numbers, texts, optional sections', () => {
    assert.equal(parse('20210228133005', 'yyyyMMddHHmmss'), '2021-02-28T13:30:05.000Z');
    assert.equal(parse('05 Mar 2021', 'dd MMM yyyy'), '2021-03-05T00:00:00.000Z');
    assert.equal(parse('Friday, 5 March 21', 'EEEE, d MMMM yy'), '2021-03-05T00:00:00.000Z');
    assert.equal(parse('2021-03-05T10:15:30.25', "yyyy-MM-dd'T'HH:mm:ss[.SS]"), '2021-03-05T10:15:30.250Z');
    assert.equal(parse('2021-03-05T10:15:30', "yyyy-MM-dd'T'HH:mm:ss[.SS]"), '2021-03-05T10:15:30.000Z');
    assert.equal(parse('2020-366', 'yyyy-DDD'), '2020-12-31T00:00:00.000Z');
  });
  it('hours: 12 AM is midnight, k 24 is midnight, an hour alone sets minutes to zero', () => {
    assert.equal(parse('2021-03-05 12:10 AM', 'yyyy-MM-dd hh:mm a'), '2021-03-05T00:10:00.000Z');
    assert.equal(parse('2021-03-05 12:10 PM', 'yyyy-MM-dd hh:mm a'), '2021-03-05T12:10:00.000Z');
    assert.equal(parse('2021-03-05 24', 'yyyy-MM-dd kk'), '2021-03-05T00:00:00.000Z');
    assert.equal(parse('2021-03-05 7', 'yyyy-MM-dd H'), '2021-03-05T07:00:00.000Z');
  });
  it('a day past the end of its month is the last day (SMART); out of range is null', () => {
    assert.equal(parse('2021-02-30', 'yyyy-MM-dd'), '2021-02-28T00:00:00.000Z');
    assert.equal(parse('2020-02-31', 'yyyy-MM-dd'), '2020-02-29T00:00:00.000Z');
    assert.equal(parse('2021-02-32', 'yyyy-MM-dd'), null);
    assert.equal(parse('2021-00-10', 'yyyy-MM-dd'), null);
    assert.equal(parse('2021-366', 'yyyy-DDD'), null);
    assert.equal(parse('2021-03-05 25:00', 'yyyy-MM-dd HH:mm'), null);
  });
  it('null without a date, with text left over, a wrong case or a field that disagrees', () => {
    assert.equal(parse('03-05', 'MM-dd'), null);
    assert.equal(parse('2021-03-05x', 'yyyy-MM-dd'), null);
    assert.equal(parse('05 mar 2021', 'dd MMM yyyy'), null);
    assert.equal(parse('Saturday 2021-03-05', 'EEEE yyyy-MM-dd'), null);
    assert.equal(parse('Q2 2021-03-05', 'QQQ yyyy-MM-dd'), null);
    assert.equal(parse('2021-03-05 9:15', 'yyyy-MM-dd h:mm'), null);
    assert.equal(parse('2021-03-05 :15:00', 'yyyy-MM-dd [HH]:mm:ss'), null);
    assert.equal(parse('21-03-05', 'yyyy-MM-dd'), null);
    assert.equal(parse('', 'yyyy-MM-dd'), null);
  });
  it('zones: an offset or zone in the text, else the zoneid option, else UTC', () => {
    assert.equal(parse('2021-03-05 10:00 +05:30', 'yyyy-MM-dd HH:mm XXX'), '2021-03-05T04:30:00.000Z');
    assert.equal(parse('2021-03-05 10:00 Z', 'yyyy-MM-dd HH:mm X'), '2021-03-05T10:00:00.000Z');
    assert.equal(parse('2021-03-05 10:00 +0530', 'yyyy-MM-dd HH:mm Z', "{'zoneid': 'America/Vancouver'}"), '2021-03-05T04:30:00.000Z');
    assert.equal(parse('2021-07-05 10:00 America/Vancouver', 'yyyy-MM-dd HH:mm VV'), '2021-07-05T17:00:00.000Z');
    assert.equal(parse('2021-07-05 10:00 PDT', 'yyyy-MM-dd HH:mm z'), '2021-07-05T17:00:00.000Z');
    assert.equal(parse('2021-07-05 10:00 Eastern Standard Time', 'yyyy-MM-dd HH:mm zzzz'), '2021-07-05T14:00:00.000Z');
    assert.equal(parse('2021-07-05 10:00', 'yyyy-MM-dd HH:mm', "{'zoneid': '-03:00'}"), '2021-07-05T13:00:00.000Z');
    assert.equal(parse('2021-07-05 10:00', 'yyyy-MM-dd HH:mm', "{'zoneid': 'Mars/Olympus'}"), null);
    assert.equal(parse('2021-07-05 10:00', 'yyyy-MM-dd HH:mm', "{'other': 1}"), '2021-07-05T10:00:00.000Z');
    assert.throws(() => parse('2021-07-05', 'yyyy-MM-dd', "'America/Vancouver'"), EvaluationError);
  });
  it('a gap moves the local time later by its length, an overlap takes the earlier offset (ZonedDateTime.ofLocal)', () => {
    const vancouver = "{'zoneid': 'America/Vancouver'}";
    assert.equal(parse('2023-03-12 02:30', 'yyyy-MM-dd HH:mm', vancouver), '2023-03-12T10:30:00.000Z');
    assert.equal(parse('2023-11-05 01:30', 'yyyy-MM-dd HH:mm', vancouver), '2023-11-05T08:30:00.000Z');
  });
  it('null for a null or invalid pattern; a letter Keyway lacks is refused when written', () => {
    assert.equal(run("#datetime.parse('2021', null, null)"), null);
    assert.equal(parse('2021', 'yyyy bb'), null);
    assert.throws(() => parseExpression("#datetime.parse('2021 5', 'yyyy w', null)"), ExpressionSyntaxError);
  });
});

describe('#datetime.toDateTimeInTimezone: zones as ZoneId.of reads them', () => {
  const inZone = (zone: string, pattern = 'null', date = '2023-07-01T04:30:30.000Z') => run(`#datetime.toDateTimeInTimezone('${date}', '${zone}', ${pattern})`);
  it('regions follow daylight saving time; offsets, UTC and GMT are fixed', () => {
    assert.equal(inZone('America/Vancouver'), '2023-06-30T21:30:30-0700');
    assert.equal(inZone('Asia/Kolkata'), '2023-07-01T10:00:30+0530');
    assert.equal(inZone('UTC'), '2023-07-01T04:30:30+0000');
    assert.equal(inZone('Z'), '2023-07-01T04:30:30+0000');
    assert.equal(inZone('GMT+2'), '2023-07-01T06:30:30+0200');
    assert.equal(inZone('-05:30', 'null', '2023-07-01T04:30:30.5Z'), '2023-06-30T23:00:30.500-0530');
  });
  it('patterns print the zone: names, ids and offsets', () => {
    assert.equal(inZone('America/Los_Angeles', "'yyyy-MM-dd HH:mm z VV xxx'"), '2023-06-30 21:30 PDT America/Los_Angeles -07:00');
    assert.equal(inZone('+01:00', "'HH:mm z'"), '05:30 +01:00');
  });
  it('null for a zone Java refuses, an invalid date or an invalid pattern', () => {
    for (const zone of ['PST', 'america/vancouver', 'Mars/Olympus', 'X', '+19:00', '+1:00', '']) assert.equal(inZone(zone), null, zone);
    assert.equal(inZone('UTC', "'yyyy bb'"), null);
    assert.equal(run("#datetime.toDateTimeInTimezone('2023-02-30Z', 'UTC', null)"), null);
    assert.equal(run("#datetime.toDateTimeInTimezone('2023-02-03Z', null, null)"), null);
  });
});

describe('#datetime patterns are bounded', () => {
  it('a literal pattern longer than the pattern bound is refused when written', () => {
    const long = 'y'.repeat(EXPRESSION_LIMITS.maxPatternLength + 1);
    assert.throws(() => parseExpression(`#datetime.format('2021-01-01Z', '${long}')`), ExpressionSyntaxError);
    assert.throws(() => parseExpression(`#datetime.toDateTimeInTimezone('2021-01-01Z', 'UTC', '${long}')`), ExpressionSyntaxError);
  });
  it('a computed pattern past the bound stops the evaluation', () => {
    const err = (() => {
      try {
        run("#datetime.format('2021-01-01Z', user.p)", { user: { p: "'x'".repeat(10_000) } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof EvaluationError && err.limit);
  });
  it('the longest patterns and inputs run in bounded time and output', () => {
    const widest = Array.from({ length: 12 }, () => 'yyyyyyyyyyyyyyyyyyy').join(' ').slice(0, EXPRESSION_LIMITS.maxPatternLength);
    const started = Date.now();
    for (let i = 0; i < 200; i++) run(`#datetime.format('2021-01-01Z', '${widest}')`);
    const text = `2021-01-01 ${'A'.repeat(5000)}`;
    assert.equal(run('#datetime.parse(user.t, "yyyy-MM-dd VV", null)', { user: { t: text } }), null);
    // Zone text that is no zone, tried by many optional sections: one ICU lookup per new run.
    for (let i = 0; i < 50; i++) {
      const junk = { user: { t: `Abcdefghij/Klmnopqrstu_vwxyz${i}ABCDEFGHIJ`, p: '[VV]'.repeat(64) } };
      assert.equal(run('#datetime.parse(user.t, user.p, null)', junk), null);
    }
    assert.ok(Date.now() - started < 2000);
  });
});
