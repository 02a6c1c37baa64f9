// Preview stand-in for @salesforce/apex/ClosewiseController.getReasons.
export default async function getReasons() {
  return [{ label: 'Economic buyer met twice', impact: '+8 pts' }];
}
