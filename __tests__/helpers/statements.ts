/** Another team's grant on the default config's destination bucket, as a live bucket policy has it. */
export const OTHER_TEAM_STATEMENT = {
  Sid: "OtherTeamRead",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::777788889999:root" },
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::my-app-data-backup/*",
};
