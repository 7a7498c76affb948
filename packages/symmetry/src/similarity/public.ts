// Named re-exports of the similarity area.
export {};
