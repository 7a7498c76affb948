// Named re-exports of the ensemble area.
export {};
