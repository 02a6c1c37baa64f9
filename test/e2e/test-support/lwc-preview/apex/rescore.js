// Preview stand-in for @salesforce/apex/ClosewiseController.rescore: the preview never rescores.
export default async function rescore() {
  return null;
}
