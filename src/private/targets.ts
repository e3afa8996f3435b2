/** What serves behind a `MultiAzService`, as the report names it. */
export enum TargetsKind {
  AUTO_SCALING = 'EC2 Auto Scaling group',
  FARGATE = 'ECS service on Fargate',
}
