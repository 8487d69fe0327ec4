/** Reading Python's tracebacks and faulthandler dumps (no Python here: the text it prints). */
import { describe, expect, it } from 'vitest';
import { crashFrame, readTraceback } from '../src/_traceback.js';

const CHAINED = [
  'Traceback (most recent call last):',
  '  File "/p/a.py", line 3, in load',
  '    return rows["stage"]',
  "KeyError: 'stage'",
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "/p/a.py", line 7, in <module>',
  '    load()',
  '  File "/p/a.py", line 5, in load',
  '    raise ValueError("no stage column\\nin rows.csv")',
  'ValueError: no stage column',
  'in rows.csv',
];

describe('readTraceback', () => {
  it('names the last exception of a chain, its first line marked when there is more, and the innermost frame', () => {
    const traceback = readTraceback(
      {
        type: 'ValueError',
        message: 'no stage column\nin rows.csv',
        traceback: CHAINED.join('\n'),
      },
      [],
    );
    expect(traceback).toEqual({
      text: CHAINED.join('\n'),
      exception: 'ValueError: no stage column …',
      frame: { file: '/p/a.py', line: 5, name: 'load' },
      source: 'client',
    });
  });

  it('reads the last traceback on stderr, after other lines', () => {
    const stderr = ['warming up', ...CHAINED.slice(7, 11), 'RuntimeError'];
    expect(readTraceback(undefined, stderr)).toMatchObject({
      exception: 'RuntimeError',
      frame: { file: '/p/a.py', line: 5, name: 'load' },
      source: 'stderr',
    });
    expect(readTraceback(undefined, ['disk quota exceeded'])).toBeUndefined();
  });

  it('takes the type and message the client reported when its traceback has no exception line', () => {
    expect(
      readTraceback({ type: 'KeyError', message: "'stage'", traceback: 'garbled' }, []),
    ).toMatchObject({ exception: "KeyError: 'stage'", frame: undefined });
  });
});

describe('crashFrame', () => {
  it('is the first frame under the crashed thread of a faulthandler dump', () => {
    const dump = [
      'Fatal Python error: Segmentation fault',
      '',
      'Current thread 0x00007f31201c1b80 (most recent call first):',
      '  File "/usr/lib/python3/dist-packages/torch/nn/modules/rnn.py", line 774 in forward',
      '  File "/p/train.py", line 52 in step',
      '',
      'Extension modules: numpy.core._multiarray_umath, torch._C (total: 2)',
    ];
    expect(crashFrame(dump)).toEqual({
      file: '/usr/lib/python3/dist-packages/torch/nn/modules/rnn.py',
      line: 774,
      name: 'forward',
    });
    expect(crashFrame(['Segmentation fault'])).toBeUndefined();
  });
});
