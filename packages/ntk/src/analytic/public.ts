// Named re-exports of the analytic area.
export {};
