import { databaseInstances, fargateTasks, healthChecks, interRegionTransfer, LIST_PRICES, loadBalancers, total } from '../../src/objectives/model/standby-cost';

describe('the standby-cost model', () => {
  test('Fargate tasks: tasks x (vCPU x price + GiB x price) x 730 h, to the cent', () => {
    // 2 x (0.5 x 0.04048 + 1 x 0.004445) x 730 = 2 x 0.024685 x 730 = 36.0401
    expect(fargateTasks(2, 0.5, 1, LIST_PRICES).monthlyUsd).toEqual(36.04);
    expect(fargateTasks(0, 4, 8, LIST_PRICES).monthlyUsd).toEqual(0);
  });

  test('database instances, load balancers, checks and transfer', () => {
    expect(databaseInstances(2, 'db.r6g.large', LIST_PRICES).monthlyUsd).toEqual(379.6); // 2 x 0.26 x 730
    expect(loadBalancers(1, LIST_PRICES).monthlyUsd).toEqual(16.43); // 0.0225 x 730 = 16.425
    expect(healthChecks(4, 4, LIST_PRICES).monthlyUsd).toEqual(6); // 4 x 0.5 + 4 x 1
    expect(interRegionTransfer(50, LIST_PRICES).monthlyUsd).toEqual(1); // 50 x 0.02
  });

  test('the total adds the items and keeps each basis with its figure', () => {
    const t = total([loadBalancers(1, LIST_PRICES), healthChecks(2, 2, LIST_PRICES)]);
    expect(t.monthlyUsd).toEqual(19.43);
    expect(t.basis).toEqual('1 Application Load Balancer(s): 1 x 0.0225 USD x 730 h (capacity units not counted) = 16.43; '
      + '2 Route 53 health check(s) x 0.5 USD + 2 optional feature(s) x 1 USD = 3.00');
  });

  test('prices given replace the list prices', () => {
    expect(fargateTasks(1, 1, 2, { ...LIST_PRICES, fargateVcpuHour: 0.1, fargateGbHour: 0 }).monthlyUsd).toEqual(73);
  });
});
