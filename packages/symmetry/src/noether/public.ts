// Named re-exports of the noether area.
export {};
