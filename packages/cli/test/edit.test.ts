import { describe, expect, it } from 'vitest';
import { editDiff, editedIds, stepIds, withIds } from '../src/import/edit';

const base = [{ copy: ['go.mod', 'go.sum'] }, { run: 'go mod download' }, { copy: '.' }, { run: 'go build -o /out/app .' }];

describe('editDiff (steps written as edits of inherited ones, DESIGN 10)', () => {
  it('inserts after a kept step, replaces, removes, and wraps with prepend/append', () => {
    expect(editDiff([base[0]!, { run: 'apk add git' }, ...base.slice(1)], base)).toEqual({ edit: [{ after: 'copy-go.mod', steps: [{ run: 'apk add git' }] }] });
    expect(editDiff([base[0]!, base[1]!, base[2]!, { run: 'go build -tags netgo .' }], base)).toEqual({ append: [{ run: 'go build -tags netgo .' }], edit: [{ remove: 'go-build' }] });
    expect(editDiff([base[0]!, { run: 'go mod vendor' }, base[2]!, base[3]!], base)).toEqual({ edit: [{ replace: 'go-mod', with: { run: 'go mod vendor' } }] });
    expect(editDiff([{ run: 'echo hi' }, ...base.slice(1)], base)).toEqual({ edit: [{ replace: 'copy-go.mod', with: { run: 'echo hi' } }] });
    expect(editDiff([{ run: 'echo hi' }, ...base], base)).toEqual({ prepend: [{ run: 'echo hi' }] });
    expect(editDiff([{ run: 'x' }], base)).toBeUndefined();
  });
  it('names steps readably and uniquely; puts the ids that edits name on the base', () => {
    expect(stepIds([{ run: 'npm ci' }, { run: 'npm ci' }, { copy: { src: 'a', dest: 'b' } }, { copy: '${{ service.name }}' }])).toEqual(['npm-ci', 'npm-ci-2', 'copy-a', 'copy']);
    const named = editedIds({ api: { stages: { build: { edit: [{ after: 'copy-go.mod', steps: [] }] } } } });
    expect(withIds(base, named)[0]).toEqual({ id: 'copy-go.mod', copy: ['go.mod', 'go.sum'] });
    expect(withIds(base, named)[1]).toEqual(base[1]);
  });
});
