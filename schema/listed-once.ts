import * as v from 'valibot';

/**
 * A list in which every item is there once: a repeat is an issue at the repeat (its index in the
 * path, so that a document problem points at its line), with `message(item, indexOfFirst)`.
 */
export const listedOnce = <T>(message: (item: T, first: number) => string) =>
  v.rawCheck<T[]>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const items = dataset.value;
    items.forEach((item, index) => {
      const first = items.indexOf(item);
      if (first === index) return;
      addIssue({
        message: message(item, first),
        path: [{ type: 'array', origin: 'value', input: items, key: index, value: item }],
      });
    });
  });
