// Named re-exports of the train area.
export {};
