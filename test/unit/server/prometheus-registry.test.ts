import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, MetricsRegistry } from '../../../src/server/metrics/prometheus-registry';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and cumulative histograms in the text format', () => {
    const registry = new MetricsRegistry();
    const requests = registry.register(new Counter('requests_total', 'Requests.', ['method']));
    registry.register(new Gauge('open', 'Open things.', () => 3));
    const seconds = registry.register(new Histogram('seconds', 'Durations.', ['method'], [0.1, 1]));
    requests.inc({ method: 'a' });
    requests.inc({ method: 'a' }, 2);
    requests.inc({ method: 'b' });
    for (const value of [0.05, 0.1, 0.5, 7]) seconds.observe({ method: 'a' }, value);

    expect(registry.render()).toBe(
      [
        '# HELP requests_total Requests.',
        '# TYPE requests_total counter',
        'requests_total{method="a"} 3',
        'requests_total{method="b"} 1',
        '# HELP open Open things.',
        '# TYPE open gauge',
        'open 3',
        '# HELP seconds Durations.',
        '# TYPE seconds histogram',
        'seconds_bucket{method="a",le="0.1"} 2',
        'seconds_bucket{method="a",le="1"} 3',
        'seconds_bucket{method="a",le="+Inf"} 4',
        'seconds_sum{method="a"} 7.65',
        'seconds_count{method="a"} 4',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const registry = new MetricsRegistry();
    registry.register(new Counter('c', 'C.', ['v'])).inc({ v: 'a\\b"c\nd' });
    expect(registry.render()).toContain('c{v="a\\\\b\\"c\\nd"} 1');
  });

  it('renders a counter without labels', () => {
    const registry = new MetricsRegistry();
    registry.register(new Counter('frames_total', 'Frames.')).inc({});
    expect(registry.render()).toContain('\nframes_total 1\n');
  });
});
