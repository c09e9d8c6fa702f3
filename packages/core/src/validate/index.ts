export { validate, type Validated } from './validate';
