console.log("backprop");
