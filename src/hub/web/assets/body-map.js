/* global document */
// The body map and its <select> stay in step; regions answer to click, Enter and Space.
export function setUpBodyMap() {
  const select = document.getElementById('site-region');
  const regions = [...document.querySelectorAll('.body-map .region')];
  const mark = () => {
    for (const r of regions) r.classList.toggle('selected', r.dataset.region === select.value);
  };
  for (const r of regions) {
    const choose = () => {
      select.value = r.dataset.region;
      mark();
    };
    r.addEventListener('click', choose);
    r.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        choose();
      }
    });
  }
  select.addEventListener('change', mark);
  mark();
}
