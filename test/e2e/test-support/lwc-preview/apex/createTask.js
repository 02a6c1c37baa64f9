// Preview stand-in for @salesforce/apex/ClosewiseController.createTask.
export default async function createTask() {
  return { subject: 'Follow up with champion' };
}
