// Named re-exports of the meanfield area.
export {};
