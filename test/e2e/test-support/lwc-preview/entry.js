// The preview page's bundle entry: mounts the card named in the page's query, e.g. ?card=opportunity&record=006…
import ClosewiseLeadCard from 'c/closewiseLeadCard';
import ClosewiseOpportunityCard from 'c/closewiseOpportunityCard';
import { createElement } from 'lwc';

const CARDS = {
  opportunity: { tag: 'c-closewise-opportunity-card', is: ClosewiseOpportunityCard },
  lead: { tag: 'c-closewise-lead-card', is: ClosewiseLeadCard, objectApiName: 'Lead' },
};

const params = new URLSearchParams(window.location.search);
const card = CARDS[params.get('card')];
const element = createElement(card.tag, { is: card.is });
element.recordId = params.get('record');
if (card.objectApiName) element.objectApiName = card.objectApiName;
document.getElementById('root').appendChild(element);
