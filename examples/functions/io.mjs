// An I/O-bound function for the demo: it mostly waits, as a handler that calls other services does. It makes a
// simulated lookup (30 ms), then two simulated downstream calls in parallel (40 and 25 ms), about 70 ms in all with
// almost no CPU, so its Duration barely changes with memory and a smaller memory size is simply cheaper.
const call = (name, ms) => new Promise((resolve) => setTimeout(() => resolve({ name, ms }), ms));

export const handler = async (event) => {
  const user = await call('lookup', 30);
  const [orders, prices] = await Promise.all([call('orders', 40), call('prices', 25)]);
  return { id: event?.id ?? null, calls: [user, orders, prices].map((c) => c.name) };
};
