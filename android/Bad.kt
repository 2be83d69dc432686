fun x( {
